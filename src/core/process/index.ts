// The one owner of child processes (and the record of them beside the store), stop signals, and the
// store's lock: one command at a time per store.
// The door of src/core/process/: code outside this folder imports from here only.
export * from './child-env';
export * from './children';
export { recordChildrenIn, stopOrphans, stoppedOrphanLine, type StoppedOrphan } from './child-registry';
export { argvOf, isRunning, startTimeOf, type ProcessIdentity } from './identity';
export * from './signals';
export { describeHolder, lockHolder, onThisHost, tryLock, waitForLock, type LockAttempt, type LockHolder, type StoreLock } from './store-lock';
