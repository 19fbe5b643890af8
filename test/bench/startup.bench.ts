// Startup benchmark (figures printed, not a test): wall time of `--version` and `status --json`, and
// the time to the wizard's first frame under a pseudo-terminal, each as a ratio to `node -e 0` measured
// in the same run. Targets (issue 6/6): ≤ 1.5× for the first two, ≤ 4× for the first frame.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Run from its bundle in node_modules/.cache by scripts/bench.mjs, which passes the repository root.
const root = process.env.BENCH_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/ngrok-fusionauth.js');
const configDir = mkdtempSync(path.join(os.tmpdir(), 'nf-bench-'));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

/** Runs a command to exit (or until `until` appears in its output) and returns milliseconds. */
function time(file: string, args: string[], until?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NGROK_FUSIONAUTH_CONFIG_DIR: configDir, NGROK_BIN: '/nonexistent' } });
    let out = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(Number(process.hrtime.bigint() - start) / 1e6);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      if (until && out.includes(until)) {
        finish();
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', () => (until ? !done && reject(new Error(`exited before "${until}": ${out.slice(-500)}`)) : finish()));
  });
}

async function median(file: string, args: string[], until?: string): Promise<number> {
  const times: number[] = [];
  await time(file, args, until); // warm the OS cache and Node's compile cache
  for (let i = 0; i < RUNS; i++) times.push(await time(file, args, until));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const baseline = await median(process.execPath, ['-e', '0']);
const rows: Array<[string, number, number | undefined]> = [
  ['node -e 0', baseline, undefined],
  ['--version', await median(process.execPath, [bin, '--version']), 1.5],
  ['status --json', await median(process.execPath, [bin, 'status', '--json']), 1.5],
  // `script` gives the wizard a pseudo-terminal, as a person's terminal would.
  ['wizard first frame (pty)', await median('script', ['-qfec', `${process.execPath} ${bin}`, '/dev/null'], 'Before You Start'), 4],
];
console.log(`startup (median of ${RUNS} runs, Node ${process.version})`);
for (const [name, ms, target] of rows) {
  const ratio = ms / baseline;
  console.log(`  ${name.padEnd(26)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}× node -e 0${target ? `  (target ≤ ${target}×${ratio <= target ? ', met' : ', NOT met'})` : ''}`);
}
