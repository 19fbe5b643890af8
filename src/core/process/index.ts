// The one owner of child processes, and stop signals.
// The door of src/core/process/: code outside this folder imports from here only.
export * from './child-env';
export * from './children';
export * from './signals';
