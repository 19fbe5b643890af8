// The local site: its folder, the python server, the probe, and the site a tunnel keeps served.
// The door of src/core/site/: code outside this folder imports from here only.
export * from './managed-site';
export * from './server';
