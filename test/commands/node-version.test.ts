// On a Node older than `engines` asks for, the CLI says so at once instead of failing deep inside.
// Uses an old Node when the machine has one (the CI machines ship Node 20 as the system Node).
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';

function oldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      if (Number(version.split('.')[0]) < 22) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

const node = oldNode();

describe('the Node version', () => {
  it.skipIf(!node)('an older Node gets one sentence and exit 1', () => {
    const result = spawnSync(node!, [BIN, 'status'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^ngrok-fusionauth needs Node\.js 22 or newer; this is Node\.js v\d+\.\d+\.\d+\.\n$/);
    expect(result.stdout).toBe('');
  });
});
