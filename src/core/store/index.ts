// The settings store: its schema, the file, and the conf-backed store.
// The door of src/core/store/: code outside this folder imports from here only.
export * from './file';
export * from './profiles';
export * from './schema';
export * from './store';
