// Deleting what this tool created, and working out what that is.
// The door of src/core/destroy/: code outside this folder imports from here only.
export * from './destroy';
export * from './kinds';
export * from './removals';
