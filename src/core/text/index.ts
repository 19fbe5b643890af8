// Text that reaches a person: redaction, sanitising of text from outside, and the marks and line
// formats of plain output. The door of src/core/text/: code outside this folder imports from here only.
export * from './redact';
export * from './sanitize';
export * from './shell';
export * from './invocation';
export * from './url';
export * from './plain';
export * from './colour';
