// `npm test`'s static checks, run side by side: the type check (tsc), lint (eslint) and the format
// check (prettier). One after the other they took ~30 s of a 2-core machine's time before the first
// test; each is mostly one core's work, so together they take about as long as the slowest. Each
// one's output is printed whole when it ends (never interleaved), and the first failure is the exit
// code. Each is its package.json script, run through npm: one place says what a check runs.
import { spawn } from 'node:child_process';

const SCRIPTS = ['typecheck', 'lint:eslint', 'format:check'];
// The npm that runs `npm test` (npm_execpath), else the one on PATH.
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

function run(name) {
  const started = Date.now();
  const [file, ...args] = [...npm, 'run', '--silent', name];
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ name, code: 1, output: `${output}${error.message}\n`, started }));
    child.on('close', (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0), output, started }));
  });
}

// Ctrl-C reaches the children through the terminal's process group; nothing is left to stop here.
const results = await Promise.all(
  SCRIPTS.map((name) =>
    run(name).then((result) => {
      const seconds = ((Date.now() - result.started) / 1000).toFixed(1);
      process.stdout.write(`\n> ${result.name}: ${result.code === 0 ? 'ok' : 'FAILED'} (${seconds} s)\n`);
      if (result.output.trim()) process.stdout.write(result.output);
      return result;
    }),
  ),
);
const failed = results.filter((result) => result.code !== 0);
if (failed.length) {
  process.stderr.write(`\n${failed.map((result) => result.name).join(', ')} failed\n`);
  process.exit(1);
}
