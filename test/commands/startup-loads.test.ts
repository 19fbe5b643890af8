// What each way of starting the CLI loads, read from the real process: a load hook records every file
// of dist/ it opens, and the build's metafile says which sources went into each of them. The quick
// commands must stay quick: `--version`, `--help` and `status` load neither Ink nor React, and `status`
// not even conf or commander; the wizard loads Ink only once it runs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInPty } from '../reliability/pty';
import { BIN, ROOT, runCli, tempDir } from '../helpers/cli';

const PRELOAD = path.join(ROOT, 'test/helpers/record-loads.mjs');
const METAFILE = path.join(ROOT, 'node_modules/.cache/ngrok-fusionauth-build/meta.json');

/** The packages (and `src` for our own code) bundled into the given dist files. */
function packagesIn(files: string[]): Set<string> {
  const meta = JSON.parse(readFileSync(METAFILE, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const packages = new Set<string>();
  for (const file of files) {
    const output = meta.outputs[path.relative(ROOT, file)];
    if (!output) throw new Error(`${file} is not in the build's metafile: rebuild (npm run build)`);
    for (const input of Object.keys(output.inputs)) packages.add(input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'src');
  }
  return packages;
}

function loadsFile(): { env: Record<string, string>; loaded: () => string[] } {
  const file = path.join(tempDir(), 'loads.txt');
  return {
    env: { RECORD_LOADS: file, NODE_OPTIONS: `--import=${PRELOAD}`, NGROK_FUSIONAUTH_CONFIG_DIR: tempDir() },
    loaded: () => (existsSync(file) ? [...new Set(readFileSync(file, 'utf8').trim().split('\n'))] : []),
  };
}

const UI = ['ink', 'react', 'react-reconciler', 'yoga-layout'];

describe('what starting the CLI loads', () => {
  it.each([
    [['--version'], [...UI, 'commander', 'conf', 'execa', 'yaml']],
    [['--help'], [...UI, 'conf', 'execa', 'yaml']],
    [['status', '--json'], [...UI, 'commander', 'conf', 'execa', 'yaml']],
    [['status'], [...UI, 'commander', 'conf', 'execa', 'yaml']],
  ])('%j loads none of %j', async (args, absent) => {
    const recording = loadsFile();
    const result = await runCli(args, { env: recording.env });
    expect(result.exitCode, result.stderr).toBe(0);
    const loaded = recording.loaded();
    expect(loaded).toContain(path.join(ROOT, 'dist/cli.js'));
    const packages = packagesIn(loaded);
    for (const name of absent) expect(packages.has(name), `${args.join(' ')} loaded ${name}`).toBe(false);
  });

  it('the wizard loads Ink and React as it starts, but not the parts it uses later', async () => {
    const recording = loadsFile();
    const pty = runInPty([process.execPath, BIN], { ...recording.env, NGROK_BIN: '/nonexistent' });
    try {
      await pty.waitFor('Before You Start');
      const packages = packagesIn(recording.loaded());
      for (const name of ['ink', 'react', 'conf']) expect(packages.has(name), `the wizard did not load ${name}`).toBe(true);
      // conf's schema compiler and migrations are left out of the bundle (scripts/build-plugins.mjs).
      for (const name of ['ajv', 'semver', 'commander', 'open', 'qrcode']) expect(packages.has(name), `the wizard loaded ${name}`).toBe(false);
    } finally {
      pty.child.kill('SIGKILL');
      await pty.child;
    }
  });
});
