// ngrok's API and what the setup makes of it: domains, edges, endpoints, policies, exports.
// The door of src/core/ngrok/: code outside this folder imports from here only.
export * from './api';
export * from './domain';
export * from './edge';
export * from './endpoint';
export * from './errors';
export * from './export';
export * from './fusionauth-domain';
export * from './ip-policy';
export * from './key';
export * from './next-steps';
export * from './ownership';
export * from './policy';
export * from './setup';
export * from './vault';
