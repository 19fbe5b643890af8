// The local site: its folder, the python server, the probe.
// The door of src/core/site/: code outside this folder imports from here only.
export * from './server';
