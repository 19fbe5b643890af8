// Files and folders the user names: read bounded, created without Node's recursive mkdir.
// The door of src/core/files/: code outside this folder imports from here only.
export * from './read-small';
export * from './safe-mkdir';
