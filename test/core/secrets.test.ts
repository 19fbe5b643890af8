// The run's list of secrets reads the key files with the one capped reader (core/key-file.ts): a key
// file that is a FIFO with no writer, or a device, is passed over at once instead of hanging the run or
// reading without end. Run in a child with a deadline (runIsolated): a reader that blocks would freeze
// the test worker for good.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { givenSecrets } from '../../src/core/secrets';
import { tempDir } from '../helpers/cli';
import { runIsolated } from '../helpers/isolated';

const secretsInChild = (options: Record<string, string>) =>
  runIsolated(
    `import { givenSecrets } from './src/core/secrets';
     console.log(JSON.stringify(givenSecrets({ store: { values: {} }, env: {}, options: ${JSON.stringify(options)} })));`,
    { timeoutMs: 10_000, memoryLimitMb: 2048 },
  );

describe('the key files in the run’s list of secrets', () => {
  it('a FIFO with no writer and a device are passed over at once; a key file’s key is listed', async () => {
    const dir = tempDir('secrets-');
    const fifo = path.join(dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await secretsInChild({ fusionauthApiKeyFile: fifo, ngrokApiKeyFile: '/dev/zero' });
    expect(run.timedOut, run.stderr).toBe(false);
    expect(JSON.parse(run.stdout)).toEqual([]);

    const keyFile = path.join(dir, 'ngrok.key');
    writeFileSync(keyFile, 'ngrok-key-0123456789\n');
    expect(givenSecrets({ store: { values: {} }, env: {}, options: { ngrokApiKeyFile: keyFile } })).toEqual([
      'ngrok-key-0123456789',
    ]);
  });
});
