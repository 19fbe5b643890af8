// --fusionauth-api-key-file and --ngrok-api-key-file pointed at something that is not a small key
// file: /dev/zero, /dev/urandom, a FIFO, a 10 GB file. Each is refused at once with one sentence naming
// the file and why, and nothing is read without limit. The cases that would hang or eat memory run in
// a child with a deadline and an address-space limit (runIsolated): a broken reader fails the test
// there instead of freezing the test worker or the machine.
import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKeyFile } from '../../src/core/key-file';
import { tempDir } from '../helpers/cli';
import { runIsolated } from '../helpers/isolated';

const SERVICE = {
  name: 'FusionAuth',
  flag: '--fusionauth-api-key-file',
  env: 'FUSIONAUTH_API_KEY',
  where: 'FusionAuth → Settings → API Keys',
};

/** readKeyFile(file) in a child: prints the key's length, or the refusal's message and hint. */
const readInChild = (file: string) =>
  runIsolated(
    `import { readKeyFile } from './src/core/key-file';
     try { console.log('key of ' + readKeyFile(${JSON.stringify(file)}, ${JSON.stringify(SERVICE)}).length + ' characters'); }
     catch (error) { console.log(error.message); console.log(error.options?.hint); }`,
    // A key file is read in well under a second; 2 GB of address space is Node plus a little.
    { timeoutMs: 10_000, memoryLimitMb: 2048 },
  );

describe('key files that are not small regular files', () => {
  it.each(['/dev/zero', '/dev/urandom'])('%s: refused as a device, nothing read', async (device) => {
    const run = await readInChild(device);
    expect(run.timedOut, run.stderr).toBe(false);
    expect(run.stdout.split('\n')[0]).toBe(
      `Cannot read the FusionAuth API key file ${device}: it is a device, not a regular file, and reading it may never end.`,
    );
    expect(run.stdout).toContain('set FUSIONAUTH_API_KEY');
  });

  it('a FIFO nobody writes to: refused at once instead of waiting forever', async () => {
    const fifo = path.join(tempDir(), 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await readInChild(fifo);
    expect(run.timedOut, 'the read waited on the FIFO').toBe(false);
    expect(run.stdout.split('\n')[0]).toBe(
      `Cannot read the FusionAuth API key file ${fifo}: it is a named pipe (FIFO), not a regular file, and reading it could wait forever.`,
    );
  });

  it('a 10 GB file: refused by its size, before any read', async () => {
    const file = path.join(tempDir(), 'huge-key');
    writeFileSync(file, '');
    truncateSync(file, 10 * 1024 ** 3); // sparse: 10 GB long, no disk used
    const run = await readInChild(file);
    expect(run.timedOut, run.stderr).toBe(false);
    expect(run.stdout.split('\n')[0]).toBe(
      `Cannot read the FusionAuth API key file ${file}: it holds 10 GB, more than the 64 KB such a file can hold.`,
    );
  });

  it('64 KB is the limit: a file of exactly 64 KB is read, one byte more is refused', () => {
    const dir = tempDir();
    const atLimit = path.join(dir, 'at-limit');
    writeFileSync(atLimit, 'k'.repeat(64 * 1024));
    expect(readKeyFile(atLimit, SERVICE)).toHaveLength(64 * 1024);
    const over = path.join(dir, 'over');
    writeFileSync(over, 'k'.repeat(64 * 1024 + 1));
    expect(() => readKeyFile(over, SERVICE)).toThrow(
      `Cannot read the FusionAuth API key file ${over}: it holds 65537 bytes, more than the 64 KB such a file can hold.`,
    );
  });

  it('a folder, a missing file: the sentences they had', () => {
    const dir = tempDir();
    expect(() => readKeyFile(dir, SERVICE)).toThrow(`Cannot read the FusionAuth API key file ${dir}: it is a folder.`);
    expect(() => readKeyFile(path.join(dir, 'nope'), SERVICE)).toThrow(
      `Cannot read the FusionAuth API key file ${path.join(dir, 'nope')}: it does not exist.`,
    );
  });

  it('a symbolic link to a key file is read like the file', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'key'), 'the-key-0123456789\n');
    execFileSync('ln', ['-s', path.join(dir, 'key'), path.join(dir, 'link')]);
    expect(readKeyFile(path.join(dir, 'link'), SERVICE)).toBe('the-key-0123456789');
  });
});
