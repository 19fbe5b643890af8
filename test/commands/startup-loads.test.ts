// What each way of starting the CLI loads, read from the real process: a load hook records every file
// of dist/ it opens, and the build's metafile says which sources went into each of them. The quick
// commands must stay quick: `--help` loads neither Ink nor React; `--version` and `status`, in every argv
// form, not even conf or commander; the wizard loads Ink only once it runs, and never commander.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInPty } from '../reliability/pty';
import { BIN, ROOT, runCli, tempDir } from '../helpers/cli';
import pkg from '../../package.json' with { type: 'json' };

const PRELOAD = path.join(ROOT, 'test/helpers/record-loads.mjs');
const METAFILE = path.join(ROOT, 'node_modules/.cache/ngrok-fusionauth-build/meta.json');

/** The packages (and `src` for our own code) bundled into the given dist files. */
function packagesIn(files: string[]): Set<string> {
  const meta = JSON.parse(readFileSync(METAFILE, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const packages = new Set<string>();
  for (const file of files) {
    const outside = file.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
    if (outside) {
      packages.add(outside);
      continue;
    }
    const output = meta.outputs[path.relative(ROOT, file)];
    if (!output) throw new Error(`${file} is not in the build's metafile: rebuild (npm run build)`);
    for (const input of Object.keys(output.inputs))
      packages.add(input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'src');
  }
  return packages;
}

function loadsFile(): {
  env: Record<string, string>;
  envConfigDir: string;
  loaded: () => string[];
  lines: () => string[];
} {
  const file = path.join(tempDir(), 'loads.txt');
  const envConfigDir = tempDir();
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);
  return {
    env: { RECORD_LOADS: file, NODE_OPTIONS: `--import=${PRELOAD}`, NGROK_FUSIONAUTH_CONFIG_DIR: envConfigDir },
    envConfigDir,
    loaded: () => [...new Set(lines().filter((line) => !line.startsWith('===')))],
    lines,
  };
}

/** The dist files of our own sources (`src/…`) bundled into the given dist files. */
function sourcesIn(files: string[]): Set<string> {
  const meta = JSON.parse(readFileSync(METAFILE, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const sources = new Set<string>();
  for (const file of files) {
    for (const input of Object.keys(meta.outputs[path.relative(ROOT, file)]?.inputs ?? {}))
      if (input.startsWith('src/')) sources.add(input);
  }
  return sources;
}

/**
 * What the wizard's first frame must not wait for (docs/ARCHITECTURE.md, "Performance"): the
 * libraries its steps, the sandbox and later screens use, and the parser it never needs.
 */
const NOT_BEFORE_FIRST_FRAME = [
  'openid-client',
  'oidc-provider',
  '@fusionauth/typescript-client',
  '@ngrok/ngrok-api',
  'qrcode',
  'yaml',
  'ajv',
  'semver',
  'execa',
  'open',
  'commander',
];
/** Our own sources that load only once the first frame is on screen (ui/load-sections.ts), or never. */
const SOURCES_AFTER_FIRST_FRAME =
  /^src\/(steps\/(?!catalog\.ts|progress\.ts|types\.ts)|sandbox\/(?!reach\.ts)|core\/(fusionauth|ngrok|agent|tunnel|verify|site|http)\/|ui\/(sections|screens\/StepScreen|screens\/TestItOut))/;

const UI = ['ink', 'react', 'react-reconciler', 'yoga-layout'];
/** What the quick route leaves unloaded: the UI, the store's writer, the process tools, the parser. */
const NOT_QUICK = [...UI, 'commander', 'conf', 'execa', 'yaml'];

/** Every argv form of the quick calls (ARCHITECTURE.md: global options before or after the command). */
const QUICK_FORMS: Array<[string, (dir: string) => string[]]> = [
  ['--version', () => ['--version']],
  ['-v', () => ['-v']],
  ['--config-dir D --version', (dir) => ['--config-dir', dir, '--version']],
  ['-v --config-dir=D', (dir) => ['-v', `--config-dir=${dir}`]],
  ['status', () => ['status']],
  ['status --json', () => ['status', '--json']],
  ['--config-dir D status --json', (dir) => ['--config-dir', dir, 'status', '--json']],
  ['status --json --config-dir D', (dir) => ['status', '--json', '--config-dir', dir]],
  ['status --config-dir D --json', (dir) => ['status', '--config-dir', dir, '--json']],
  ['--config-dir=D status', (dir) => [`--config-dir=${dir}`, 'status']],
  ['status --json --config-dir=D', (dir) => ['status', '--json', `--config-dir=${dir}`]],
];

describe('what starting the CLI loads', () => {
  it("--help loads neither the UI nor the store's writer", async () => {
    const recording = loadsFile();
    const result = await runCli(['--help'], { env: recording.env });
    expect(result.exitCode, result.stderr).toBe(0);
    const packages = packagesIn(recording.loaded());
    for (const name of [...UI, 'conf', 'execa', 'yaml'])
      expect(packages.has(name), `--help loaded ${name}`).toBe(false);
  });

  // The folder comes from NGROK_FUSIONAUTH_CONFIG_DIR (loadsFile) unless the form names one (D).
  it.each(QUICK_FORMS)(
    '%s takes the quick route: none of the UI, conf or commander, and the right folder',
    async (_form, argv) => {
      const recording = loadsFile();
      const dir = tempDir();
      const args = argv(dir);
      const result = await runCli(args, { env: recording.env });
      expect(result.exitCode, result.stderr).toBe(0);
      const loaded = recording.loaded();
      expect(loaded).toContain(path.join(ROOT, 'dist/cli.js'));
      const packages = packagesIn(loaded);
      for (const name of NOT_QUICK) expect(packages.has(name), `${args.join(' ')} loaded ${name}`).toBe(false);
      const expectedFile = path.join(
        args.some((arg) => arg.includes(dir)) ? dir : recording.envConfigDir,
        'config.json',
      );
      if (!args.includes('status')) expect(result.stdout).toBe(pkg.version);
      else if (args.includes('--json')) expect(JSON.parse(result.stdout).configPath).toBe(expectedFile);
      else expect(result.stdout).toContain(`Settings: ${expectedFile}\n`);
    },
  );

  it.each([
    [
      'status --profile P --json --config-dir D',
      (dir: string) => ['status', '--profile', 'shop', '--json', '--config-dir', dir],
    ],
    [
      '--profile=P --config-dir=D status --json',
      (dir: string) => ['--profile=shop', `--config-dir=${dir}`, 'status', '--json'],
    ],
  ])("%s takes the quick route too, and reads the profile's store", async (_form, argv) => {
    const recording = loadsFile();
    const dir = tempDir();
    const result = await runCli(argv(dir), { env: recording.env });
    expect(result.exitCode, result.stderr).toBe(0);
    const packages = packagesIn(recording.loaded());
    for (const name of NOT_QUICK) expect(packages.has(name), `${_form} loaded ${name}`).toBe(false);
    expect(JSON.parse(result.stdout).configPath).toBe(path.join(dir, 'profiles', 'shop', 'config.json'));
  });

  it("the wizard's quick route opens the store of --config-dir D, not of the env (a damaged file there is reported)", async () => {
    const recording = loadsFile();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'config.json'), '{"values": ');
    const result = await runCli([`--config-dir=${dir}`], { env: recording.env });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`The settings file ${path.join(dir, 'config.json')} is damaged`);
    expect(packagesIn(recording.loaded()).has('commander'), 'loaded commander').toBe(false);
  });

  // Forms whose meaning is commander's: its messages and exit codes are the contract.
  it.each([
    ['status --config-dir (no value)', ['status', '--config-dir'], 2, /option '--config-dir <dir>' argument missing/],
    ['status --jsn', ['status', '--jsn'], 2, /unknown option '--jsn'/],
    [
      'status --config-dir --json (commander takes --json as the folder)',
      ['status', '--config-dir', '--json'],
      0,
      /^$/,
    ],
    ['--config-dir D --config-dir D status', ['--config-dir', 'a', '--config-dir', 'b', 'status'], 0, /^$/],
    ['--version status', ['--version', 'status'], 0, /^$/],
  ])('%s goes to commander', async (_form, args, exitCode, stderr) => {
    const recording = loadsFile();
    const result = await runCli(args as string[], { env: recording.env, cwd: tempDir() });
    expect(result.exitCode, result.stderr).toBe(exitCode);
    expect(result.stderr).toMatch(stderr as RegExp);
    expect(packagesIn(recording.loaded()).has('commander'), 'commander was not loaded').toBe(true);
  });

  it.each([
    ['no argument', () => []],
    ['--config-dir D', (dir: string) => ['--config-dir', dir]],
  ])(
    'the wizard (%s) loads Ink and React as it starts, but not the parts it uses later, nor commander',
    async (_form, argv) => {
      const recording = loadsFile();
      const pty = runInPty([process.execPath, BIN, ...argv(tempDir())], {
        ...recording.env,
        NGROK_BIN: '/nonexistent',
      });
      try {
        await pty.waitFor('Before You Start');
        const packages = packagesIn(recording.loaded());
        for (const name of ['ink', 'react', 'conf'])
          expect(packages.has(name), `the wizard did not load ${name}`).toBe(true);
        // conf's schema compiler and migrations are left out of the bundle (scripts/build-plugins.mjs).
        for (const name of ['ajv', 'semver', 'commander', 'open', 'qrcode'])
          expect(packages.has(name), `the wizard loaded ${name}`).toBe(false);
      } finally {
        pty.child.kill('SIGKILL');
        await pty.child;
      }
    },
  );

  // The first frame's bar is the wizard's own cost over bare Ink's (docs/ARCHITECTURE.md, "Performance"):
  // what it loads, and whether it measured text the slow way, read at the moment it is drawn.
  it.each([
    ['no argument', () => []],
    ['--config-dir D', (dir: string) => ['--config-dir', dir]],
  ])(
    "the wizard (%s) draws its first frame with none of the libraries of its steps, and not by string-width's slow path",
    async (_form, argv) => {
      const recording = loadsFile();
      const pty = runInPty([process.execPath, BIN, ...argv(tempDir())], {
        ...recording.env,
        RECORD_FIRST_FRAME: 'Before You Start',
        // In colour, as in a person's terminal: the pty helper sets CI, for which chalk turns colour off.
        FORCE_COLOR: '1',
        NGROK_BIN: '/nonexistent',
      });
      try {
        await pty.waitFor('Before You Start');
        const lines = recording.lines();
        const frame = lines.indexOf('=== first frame');
        expect(frame, 'the recorder saw the first frame').toBeGreaterThan(0);
        const before = lines.slice(0, frame).filter((line) => !line.startsWith('==='));
        const packages = packagesIn(before);
        expect(packages.has('ink'), 'the first frame loaded Ink').toBe(true);
        for (const name of NOT_BEFORE_FIRST_FRAME)
          expect(packages.has(name), `the first frame waited for ${name}`).toBe(false);
        expect([...sourcesIn(before)].filter((source) => SOURCES_AFTER_FIRST_FRAME.test(source))).toEqual([]);
        // string-width's slow path (Intl.Segmenter and an emoji pattern) costs ~20 ms of the first
        // frame; the section list's coloured text takes the patch's fast path.
        expect(lines.slice(0, frame), "the first frame took string-width's slow path").not.toContain(
          '=== string-width segmented',
        );
        // node:crypto is ~20 of Node's own modules and its algorithm tables (~3–6 ms of CPU, and garbage
        // to collect): the store makes its setup id with the global Web Crypto, which Node loads only
        // when it is first used (src/core/store/store.ts).
        expect(lines, "the recorder saw Node's own modules").toContain('=== builtin NativeModule fs');
        expect(lines.slice(0, frame)).not.toContain('=== builtin NativeModule crypto');
      } finally {
        pty.child.kill('SIGKILL');
        await pty.child;
      }
    },
  );
});
