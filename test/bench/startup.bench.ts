// Startup benchmark (figures printed, not a test): wall time of `--version` and `status --json`, and
// the time to the wizard's first frame under a pseudo-terminal, each as a ratio to `node -e 0` measured
// in the same run. Targets (issue 6/6): ≤ 1.5× for the first two, ≤ 4× for the first frame.
// For scale, one more row: a bare Ink app that draws one line, bundled and launched like the CLI (same
// esbuild options, compile cache): what Ink alone costs before a first frame on this machine.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Run from its bundle in node_modules/.cache by scripts/bench.mjs, which passes the repository root.
const root = process.env.BENCH_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/ngrok-fusionauth.js');
const configDir = mkdtempSync(path.join(os.tmpdir(), 'nf-bench-'));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

/** Builds the bare Ink reference and returns its launcher (which enables the compile cache, as bin/ does). */
async function bareInk(): Promise<string> {
  const { bundleOptions } = await import(path.join(root, 'scripts/build-options.mjs'));
  const { stringWidthFastPath, yogaWithoutFetch } = await import(path.join(root, 'scripts/build-plugins.mjs'));
  const out = path.join(root, 'node_modules/.cache/ngrok-fusionauth-bench/bare-ink');
  await build({ ...bundleOptions, metafile: false, entryPoints: { app: path.join(root, 'test/bench/fixtures/bare-ink.tsx') }, outdir: out, splitting: true, external: ['react-devtools-core'], plugins: [yogaWithoutFetch(), stringWidthFastPath()] });
  const launcher = path.join(out, 'launch.mjs');
  writeFileSync(launcher, "import module from 'node:module';\nmodule.enableCompileCache?.();\nprocess.env.NODE_ENV ??= 'production';\nawait import('./app.js');\n");
  return launcher;
}
const bareInkLauncher = await bareInk();

/**
 * Runs a command and returns the milliseconds until it exits, or until `until` appears in its output.
 * In the second case the command is then told to quit (Ctrl-C) and awaited, so that its exit does not
 * overlap the next measurement.
 */
function time(file: string, args: string[], until?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NGROK_FUSIONAUTH_CONFIG_DIR: configDir, NGROK_BIN: '/nonexistent' } });
    let out = '';
    let elapsed: number | undefined;
    const stop = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      if (until && elapsed === undefined && out.includes(until)) {
        elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        child.stdin.write('\x03');
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(stop);
      if (!until) resolve(Number(process.hrtime.bigint() - start) / 1e6);
      else if (elapsed !== undefined) resolve(elapsed);
      else reject(new Error(`exited before "${until}": ${out.slice(-500)}`));
    });
  });
}

const cases: Array<{ name: string; file: string; args: string[]; until?: string; target?: number }> = [
  { name: 'node -e 0', file: process.execPath, args: ['-e', '0'] },
  { name: '--version', file: process.execPath, args: [bin, '--version'], target: 1.5 },
  { name: 'status --json', file: process.execPath, args: [bin, 'status', '--json'], target: 1.5 },
  // `script` gives the wizard a pseudo-terminal, as a person's terminal would.
  { name: 'wizard first frame (pty)', file: 'script', args: ['-qfec', `${process.execPath} ${bin}`, '/dev/null'], until: 'Before You Start', target: 4 },
  { name: 'bare Ink first frame (pty)', file: 'script', args: ['-qfec', `${process.execPath} ${bareInkLauncher}`, '/dev/null'], until: 'Before You Start' },
];

// Round-robin: each round runs every case once, so a machine that speeds up or slows down during the
// run (a shared CI host) moves the baseline and the measured commands alike.
const times = cases.map(() => [] as number[]);
for (const c of cases) await time(c.file, c.args, c.until); // warm the OS cache and Node's compile cache
for (let round = 0; round < RUNS; round++) {
  for (const [i, c] of cases.entries()) times[i]!.push(await time(c.file, c.args, c.until));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const baseline = median(times[0]!);
console.log(`startup (median of ${RUNS} rounds, Node ${process.version})`);
for (const [i, { name, target }] of cases.entries()) {
  const ms = median(times[i]!);
  const ratio = ms / baseline;
  console.log(`  ${name.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}× node -e 0${target ? `  (target ≤ ${target}×${ratio <= target ? ', met' : ', NOT met'})` : ''}`);
}
