// Startup benchmark (figures printed, not a test): wall time of `--version` and `status [--json]` in
// every argv form (global options before or after the command), each as a ratio to
// `node -e 0`, and the time to the wizard's first frame under a pseudo-terminal as a ratio to a bare
// Ink app that draws one line, bundled and launched like the CLI (same esbuild options and patches,
// compile cache): Ink alone costs 3.6–4.1× `node -e 0`, so a bar relative to bare node would measure
// Ink, not us. Both references are measured in the same run. Budgets (docs/ARCHITECTURE.md, "Performance"):
// ≤ 1.5× `node -e 0` for every form of `--version` and `status`, ≤ 1.2× bare Ink for the first frame.
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
  const { bundleOptions, requireOnlyWhereUsed } = await import(path.join(root, 'scripts/build-options.mjs'));
  const { stringWidthFastPath, yogaWithoutFetch } = await import(path.join(root, 'scripts/build-plugins.mjs'));
  const out = path.join(root, 'node_modules/.cache/ngrok-fusionauth-bench/bare-ink');
  await build({
    ...bundleOptions,
    metafile: false,
    entryPoints: { app: path.join(root, 'test/bench/fixtures/bare-ink.tsx') },
    outdir: out,
    splitting: true,
    external: ['react-devtools-core'],
    plugins: [yogaWithoutFetch(), stringWidthFastPath(), requireOnlyWhereUsed()],
  });
  // dist/'s .js files are ES modules by the repository's package.json ("type": "module"). Out here,
  // under node_modules, no package.json says so, and Node would first try each .js file as CommonJS
  // (syntax detection: a failed compile of the 420 KB Ink bundle) before loading it as ESM: a cost
  // the CLI never pays, which made the reference slower than a bare Ink app built like dist/.
  writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
  const launcher = path.join(out, 'launch.mjs');
  writeFileSync(
    launcher,
    "import module from 'node:module';\nmodule.enableCompileCache?.();\nprocess.env.NODE_ENV ??= 'production';\nawait import('./app.js');\n",
  );
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
    const child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NGROK_FUSIONAUTH_CONFIG_DIR: configDir, NGROK_BIN: '/nonexistent' },
    });
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
    child.on('close', (code) => {
      clearTimeout(stop);
      if (until) {
        if (elapsed !== undefined) resolve(elapsed);
        else reject(new Error(`exited before "${until}": ${out.slice(-500)}`));
      } else if (code === 0) resolve(Number(process.hrtime.bigint() - start) / 1e6);
      else reject(new Error(`${[file, ...args].join(' ')} exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

/** The folder the `--config-dir` forms name (D below); every row also has NGROK_FUSIONAUTH_CONFIG_DIR set. */
const flagDir = mkdtempSync(path.join(os.tmpdir(), 'nf-bench-flag-'));
const NODE = 'node -e 0';
const BARE_INK = 'bare Ink first frame (pty)';

interface Case {
  name: string;
  file: string;
  args: string[];
  until?: string;
  /** The row this one is a ratio to, and the budget for that ratio. */
  budget?: { of: string; max: number };
}

const cli = (name: string, args: string[]): Case => ({
  name,
  file: process.execPath,
  args: [bin, ...args],
  budget: { of: NODE, max: 1.5 },
});
// `script` gives the wizard a pseudo-terminal, as a person's terminal would.
const firstFrame = (name: string, argv: string[], budget?: Case['budget']): Case => ({
  name,
  file: 'script',
  args: ['-qfec', argv.join(' '), '/dev/null'],
  until: 'Before You Start',
  budget,
});

const cases: Case[] = [
  { name: NODE, file: process.execPath, args: ['-e', '0'] },
  cli('--version', ['--version']),
  cli('-v', ['-v']),
  cli('--config-dir D --version', ['--config-dir', flagDir, '--version']),
  cli('-v --config-dir=D', ['-v', `--config-dir=${flagDir}`]),
  cli('status', ['status']),
  cli('status --json', ['status', '--json']),
  cli('--config-dir D status --json', ['--config-dir', flagDir, 'status', '--json']),
  cli('status --json --config-dir D', ['status', '--json', '--config-dir', flagDir]),
  cli('--config-dir=D status', [`--config-dir=${flagDir}`, 'status']),
  firstFrame(BARE_INK, [process.execPath, bareInkLauncher]),
  firstFrame('wizard first frame (pty)', [process.execPath, bin], { of: BARE_INK, max: 1.2 }),
  firstFrame('wizard --config-dir D (pty)', [process.execPath, bin, '--config-dir', flagDir], {
    of: BARE_INK,
    max: 1.2,
  }),
];

// Round-robin: each round runs every case once, so a machine that speeds up or slows down during the
// run (a shared CI host) moves the baseline and the measured commands alike.
const times = cases.map(() => [] as number[]);
for (const c of cases) await time(c.file, c.args, c.until); // warm the OS cache and Node's compile cache
for (let round = 0; round < RUNS; round++) {
  for (const [i, c] of cases.entries()) times[i]!.push(await time(c.file, c.args, c.until));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medians = new Map(cases.map((c, i) => [c.name, median(times[i]!)]));
console.log(`startup (median of ${RUNS} rounds, Node ${process.version}; D is a --config-dir folder)`);
for (const { name, budget } of cases) {
  const ms = medians.get(name)!;
  const of = budget?.of ?? (name === NODE ? undefined : NODE);
  const ratio = of === undefined ? '' : `${(ms / medians.get(of)!).toFixed(2)}× ${of === NODE ? NODE : 'bare Ink'}`;
  const verdict = budget
    ? `  (budget ≤ ${budget.max}×, ${ms / medians.get(budget.of)! <= budget.max ? 'met' : 'NOT met'})`
    : '  (reference)';
  console.log(`  ${name.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.padEnd(16)}${verdict}`);
}
