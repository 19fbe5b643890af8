// --site-dir /proc/x and --config-dir /proc/x: Node's recursive mkdir loops forever on procfs (100%
// CPU, signals unseen). First Node's behaviour is pinned, in a child with a deadline: the day a Node
// fixes it, this test says so and makeFolder can go. Then makeFolder, and the two places that create a
// folder the user names (the site's and the store's), each run where a hang cannot take the test
// worker with it: in a child, or through the CLI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolder } from '../../../src/core/files';
import { runCli, tempDir } from '../../helpers/cli';
import { runIsolated } from '../../helpers/isolated';

// A name that cannot exist under /proc (not a pid, not a kernel file).
const UNDER_PROC = '/proc/nf-no-such-folder/site';

describe('Node, pinned: recursive mkdir under /proc never returns', () => {
  it.each([
    [
      'mkdirSync',
      `import fs from 'node:fs'; fs.mkdirSync(${JSON.stringify(UNDER_PROC)}, { recursive: true }); console.log('returned');`,
    ],
    [
      'fs.promises.mkdir',
      `import fs from 'node:fs'; fs.promises.mkdir(${JSON.stringify(UNDER_PROC)}, { recursive: true }).then(() => console.log('returned'), (e) => console.log('rejected ' + e.code));`,
    ],
  ])(
    '%s: still running after 3 s (if this fails, Node fixed it: say so, and see whether makeFolder is still needed)',
    async (_what, source) => {
      const run = await runIsolated(source, { timeoutMs: 3000 });
      expect(run.stdout).toBe('');
      expect(run.timedOut).toBe(true);
    },
  );
});

describe('makeFolder', () => {
  it('refuses /proc at once, naming the folder and why', () => {
    const started = Date.now();
    expect(() => makeFolder(UNDER_PROC, { what: 'the site folder' })).toThrow(
      `Cannot create the site folder ${UNDER_PROC}: the file system of /proc does not take new folders (procfs and sysfs do not).`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('makes every missing level with the mode asked, and accepts a folder that exists', () => {
    const root = tempDir();
    const deep = path.join(root, 'a', 'b', 'c');
    makeFolder(deep, { what: 'the config folder', mode: 0o700 });
    for (const level of ['a', 'a/b', 'a/b/c']) expect(statSync(path.join(root, level)).mode & 0o777).toBe(0o700);
    makeFolder(deep, { what: 'the config folder' });
    expect(existsSync(deep)).toBe(true);
  });

  it('a file on the path, a dangling symbolic link: one sentence each', () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'file'), '');
    expect(() => makeFolder(path.join(root, 'file', 'x'), { what: 'the site folder' })).toThrow(
      `Cannot create the site folder ${path.join(root, 'file', 'x')}: ${path.join(root, 'file')} is a file, not a folder.`,
    );
    expect(() => makeFolder(path.join(root, 'file'), { what: 'the site folder' })).toThrow(
      `${path.join(root, 'file')} is a file, not a folder.`,
    );
    execFileSync('ln', ['-s', path.join(root, 'nowhere'), path.join(root, 'dangling')]);
    expect(() => makeFolder(path.join(root, 'dangling', 'x'), { what: 'the site folder' })).toThrow(
      `${path.join(root, 'dangling')} is a symbolic link to something that does not exist.`,
    );
  });

  it.skipIf(process.getuid?.() === 0)('a folder we may not write in: permission, not a loop', () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'locked'), { mode: 0o500 });
    expect(() => makeFolder(path.join(root, 'locked', 'x', 'y'), { what: 'the site folder' })).toThrow(
      `you may not create folders in ${path.join(root, 'locked')}.`,
    );
  });
});

describe('the folders the user names', () => {
  it('--site-dir under /proc: writeSiteFile ends with the sentence', async () => {
    const run = await runIsolated(
      `import { writeSiteFile } from './src/core/site';
       writeSiteFile(${JSON.stringify(UNDER_PROC)}).then((r) => console.log('written: ' + r), (e) => console.log(e.message));`,
      { timeoutMs: 10_000 },
    );
    expect(run.timedOut, 'writeSiteFile did not end').toBe(false);
    expect(run.stdout.trim()).toBe(
      `Cannot create the site folder ${UNDER_PROC}: the file system of /proc does not take new folders (procfs and sysfs do not).`,
    );
  });

  it('--config-dir under /proc: the CLI exits 1 with the sentence and the flag to change', async () => {
    // setup --sandbox writes the settings and the sandbox's data there: the first thing it makes is the folder.
    const result = await runCli(['--config-dir', UNDER_PROC, 'setup', '--sandbox', '--no-input'], { timeout: 15_000 });
    expect(result.stderr).toContain(
      `Cannot create the config folder ${UNDER_PROC}: the file system of /proc does not take new folders (procfs and sysfs do not).`,
    );
    expect(result.stderr).toContain('--config-dir');
    expect(result.exitCode).toBe(1);
  });
});
