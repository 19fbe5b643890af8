// Files and folders the user names: read bounded, created without Node's recursive mkdir, a private
// folder checked before it is trusted, and file-system failures in words.
// The door of src/core/files/: code outside this folder imports from here only.
export * from './fs-problem';
export * from './private-folder';
export * from './read-small';
export * from './safe-mkdir';
