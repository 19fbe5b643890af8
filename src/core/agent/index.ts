// The ngrok agent on this machine: its CLI, the command each mode runs, its log, its errors, its local API, and the supervisor that runs it.
// The door of src/core/agent/: code outside this folder imports from here only.
export * from './agent-output';
export * from './agent-process';
export * from './agent-state';
export * from './capped-log';
export * from './cli';
export * from './command';
export * from './errors';
export * from './log';
export * from './request-poller';
export * from './restart-budget';
export * from './requests';
export * from './ring-buffer';
export * from './supervisor';
