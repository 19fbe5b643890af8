// Rotating the client secret (FusionAuth and ngrok's vault, verified, rolled back on failure).
// The door of src/core/rotate/: code outside this folder imports from here only.
export * from './rotate';
