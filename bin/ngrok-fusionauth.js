#!/usr/bin/env node
// Tiny launcher: the real CLI is the bundle in dist/ (built by `npm install` through `prepare`).
import module from 'node:module';

// Older Nodes would fail somewhere deep inside (a missing Set method, an unknown flag): say it here.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`ngrok-fusionauth needs Node.js 22 or newer; this is Node.js ${process.version}.\n`);
  process.exit(1);
}

// Node's on-disk compile cache makes every start after the first one faster.
module.enableCompileCache?.();
process.env.NODE_ENV ??= 'production';
await import('../dist/cli.js');
