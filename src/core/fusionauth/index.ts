// FusionAuth: discovery and probes without a key, the management API (through one client) with one.
// The door of src/core/fusionauth/: code outside this folder imports from here only.
export * from './answers';
export * from './application';
export * from './client';
export * from './discovery';
export * from './errors';
export * from './key';
export * from './session';
export * from './tenant';
export * from './users';
export * from './webhook';
