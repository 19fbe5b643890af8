// The other files we read because the user named them (the folder, the config, NGROK_BIN): the site's
// index.html, the traffic-policy file, ngrok's configuration file. Each is read bounded: a FIFO or a
// device there is refused at once (in a child with a deadline, where a read that waits cannot take the
// test worker with it), a page too large to be the guide's is "different".
import { execFileSync } from 'node:child_process';
import { chmodSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteFileState, sitePageText } from '../../../src/core/site';
import { tempDir } from '../../helpers/cli';
import { runIsolated } from '../../helpers/isolated';

function fifoIn(dir: string, name: string): string {
  const file = path.join(dir, name);
  execFileSync('mkfifo', [file]);
  return file;
}

const inChild = (source: string) => runIsolated(source, { timeoutMs: 10_000, memoryLimitMb: 2048 });

describe('the site page (index.html)', () => {
  it.each([
    [
      'a FIFO',
      (dir: string) => fifoIn(dir, 'index.html'),
      'it is a named pipe (FIFO), not a regular file, and reading it could wait forever',
    ],
    [
      'a link to /dev/zero',
      (dir: string) => symlinkSync('/dev/zero', path.join(dir, 'index.html')),
      'it is a device, not a regular file, and reading it may never end',
    ],
  ])('%s: siteFileState refuses it at once', async (_what, make, why) => {
    const dir = tempDir();
    make(dir);
    const run = await inChild(`import { siteFileState } from './src/core/site';
      siteFileState(${JSON.stringify(dir)}).then((state) => console.log('state: ' + state), (e) => console.log(e.message));`);
    expect(run.timedOut, 'siteFileState did not end').toBe(false);
    expect(run.stdout.trim()).toBe(`Cannot read the site page ${path.join(dir, 'index.html')}: ${why}.`);
  });

  it('a page larger than any answer we read is not the guide\'s: "different", and not read', async () => {
    const dir = tempDir();
    const page = path.join(dir, 'index.html');
    writeFileSync(page, '');
    truncateSync(page, 10 * 1024 ** 3); // sparse
    expect(await siteFileState(dir)).toBe('different');
    expect(sitePageText(dir)).toBeUndefined();
  });
});

describe('the traffic-policy file', () => {
  it('a FIFO in its place reads as missing, at once', async () => {
    const fifo = fifoIn(tempDir(), 'policy.yml');
    const run = await inChild(`import { readPolicyFile } from './src/core/ngrok';
      readPolicyFile(${JSON.stringify(fifo)}).then((text) => console.log('text: ' + String(text)), (e) => console.log(e.message));`);
    expect(run.timedOut, 'readPolicyFile did not end').toBe(false);
    expect(run.stdout.trim()).toBe('text: undefined');
  });
});

describe("ngrok's configuration file (for the authtoken)", () => {
  it('a FIFO named by `ngrok config check`: an error finding naming it, at once', async () => {
    const dir = tempDir();
    const fifo = fifoIn(dir, 'ngrok.yml');
    const bin = path.join(dir, 'ngrok');
    writeFileSync(bin, `#!/bin/sh\necho "Valid configuration file at ${fifo}"\n`);
    chmodSync(bin, 0o755);
    const run = await inChild(`import { authtokenFinding, authtokenState } from './src/core/agent';
      const env = { ...process.env }; delete env.NGROK_AUTHTOKEN;
      authtokenState(${JSON.stringify(bin)}, env).then((state) => console.log(JSON.stringify(authtokenFinding(state))), (e) => console.log(e.message));`);
    expect(run.timedOut, 'authtokenState did not end').toBe(false);
    expect(JSON.parse(run.stdout)).toMatchObject({
      level: 'error',
      title: `Cannot read ngrok's configuration file ${fifo}: it is a named pipe (FIFO), not a regular file, and reading it could wait forever.`,
      fix: expect.stringContaining('NGROK_AUTHTOKEN'),
    });
  });
});
