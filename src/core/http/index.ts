// HTTP for everything: requests with deadlines, the one error mapper, the one retry policy, a minimal browser,
// and the shapes answers are checked against before they are used.
// The door of src/core/http/: code outside this folder imports from here only.
export * from './body-limit';
export * from './browser';
export * from './errors';
export * from './request';
export * from './retry';
export * from './shape';
