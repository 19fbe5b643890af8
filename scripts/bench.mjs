// `npm run bench`: builds each test/bench/*.bench.ts(x) with esbuild (dependencies stay in
// node_modules) and runs it in a fresh Node process, so that each one's memory figures are its own.
// Benchmarks print figures; they are not timed tests and never fail a build.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'test', 'bench');
const outDir = path.join(root, 'node_modules', '.cache', 'ngrok-fusionauth-bench');
const only = process.argv.slice(2);
const entries = readdirSync(benchDir).filter(
  (f) => /\.bench\.tsx?$/.test(f) && (!only.length || only.some((o) => f.includes(o))),
);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: entries.map((f) => path.join(benchDir, f)),
  outdir: outDir,
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: 'node22',
  jsx: 'automatic',
  outExtension: { '.js': '.mjs' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

let failed = false;
for (const entry of entries) {
  const file = path.join(outDir, entry.replace(/\.tsx?$/, '.mjs'));
  process.stdout.write(`\n## ${entry}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', file], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', BENCH_ROOT: root },
  });
  if (run.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
