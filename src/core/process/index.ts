// The one owner of child processes (and the record of them beside the store), stop signals, and the
// store's lock: one command at a time per store.
// The door of src/core/process/: code outside this folder imports from here only.
export * from './child-env';
export * from './children';
export {
  CHILDREN_FILE,
  STOP_GRACE_MS,
  recordChildrenIn,
  stopOrphans,
  stoppedOrphanLine,
  type ChildRecord,
  type StoppedOrphan,
} from './child-registry';
export { argvOf, isRunning, startTimeOf, thisProcess, type ProcessIdentity } from './identity';
export * from './signals';
export {
  LOCK_FILE,
  describeHolder,
  lockHolder,
  onThisHost,
  tryLock,
  waitForLock,
  type LockAttempt,
  type LockHolder,
  type StoreLock,
} from './store-lock';
