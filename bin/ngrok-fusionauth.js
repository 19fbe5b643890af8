#!/usr/bin/env node
// Tiny launcher: the real CLI is the bundle in dist/ (built by `npm install` through `prepare`).
import module from 'node:module';

// Node's on-disk compile cache makes every start after the first one faster.
module.enableCompileCache?.();
process.env.NODE_ENV ??= 'production';
await import('../dist/cli.js');
