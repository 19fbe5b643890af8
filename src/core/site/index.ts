// The local site: its folder, the python server (and the record of those this tool started, so that
// no other program on the port is taken for it), the probe, and the site a tunnel keeps served.
// The door of src/core/site/: code outside this folder imports from here only.
export * from './managed-site';
export * from './server';
export * from './server-holder';
export * from './server-record';
