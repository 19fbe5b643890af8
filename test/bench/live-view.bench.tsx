// The live view under a flood: a real supervisor runs test/helpers/flood-agent.mjs (100,000 agent
// json lines; five floods in a row, so that what stays in memory shows: the first as fast as the pipe
// takes them, the others at 50,000 lines/s so that renders and keys are measured over seconds)
// and Ink renders the real LiveView into a terminal-sized
// fake stdout in interactive mode (log-update, as in a terminal). Figures: renders per second, peak
// RSS and RSS as the lines come in (flat once the ring buffer is full), and how long a keypress ("p",
// pause/resume) takes to show on screen. Targets: ≤ 30 renders/s, RSS ≤ 200 MB and flat, key ≤ 100 ms.
import { render } from 'ink';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { AgentSupervisor } from '../../src/core/agent';
import { stopAll } from '../../src/core/process';
import { LiveView } from '../../src/ui/components/LiveView';
import { FakeStdin } from '../helpers/ink';

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const KEY_EVERY_MS = Number(process.env.BENCH_KEY_EVERY_MS ?? 200);
/** Flood 1 as fast as the pipe goes (throughput); the others at 50,000 lines/s, long enough to measure. */
const RATES = Array.from({ length: ROUNDS }, (_, i) => (i === 0 ? 0 : Number(process.env.BENCH_RATE ?? 50_000)));
const root = process.env.BENCH_ROOT ?? process.cwd();

class Terminal extends EventEmitter {
  columns = 160;
  rows = 48;
  isTTY = true;
  writes = 0;
  last = '';
  onWrite?: (text: string) => void;
  write = (text: string) => {
    this.writes++;
    this.last = text;
    this.onWrite?.(text);
    return true;
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const supervisor = new AgentSupervisor({
    bin: process.execPath,
    args: [path.join(root, 'test/helpers/flood-agent.mjs')],
    env: {
      PATH: process.env.PATH,
      NGROK_FLOOD_LINES: String(LINES),
      NGROK_FLOOD_ROUNDS: String(ROUNDS),
      NGROK_FLOOD_RATES: RATES.join(','),
      NGROK_FLOOD_DELAY_MS: '500',
      NGROK_FLOOD_PAUSE_MS: '400',
    },
    publicUrl: 'https://flood.ngrok.app',
  });
  const terminal = new Terminal();
  const keyboard = new FakeStdin();
  let renders = 0;
  const instance = render(
    <LiveView source={supervisor} logRows={Number(process.env.BENCH_ROWS ?? 30)} onQuit={() => undefined} />,
    {
      stdout: terminal as unknown as NodeJS.WriteStream,
      stdin: keyboard as unknown as NodeJS.ReadStream,
      stderr: new Terminal() as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      interactive: true,
      onRender: () => renders++,
    },
  );

  // Lines received, from the supervisor's own events; each flood round timed on its own.
  let received = 0;
  let floodStart = 0;
  let floodEnd = 0;
  let flooding = false;
  let roundStart = 0;
  let roundRenders = 0;
  const rounds: Array<{ seconds: number; renders: number; rss: number; heap: number }> = [];
  const endRound = () => {
    const seconds = (performance.now() - roundStart) / 1000;
    const renderCount = renders - roundRenders;
    flooding = false;
    // Measured between floods, after a GC: what the view holds, not garbage not yet collected.
    setTimeout(() => {
      globalThis.gc?.();
      const memory = process.memoryUsage();
      rounds.push({ seconds, renders: renderCount, rss: memory.rss, heap: memory.heapUsed });
      if (process.env.BENCH_DEBUG)
        console.log(JSON.stringify(Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, mb(v)]))));
    }, 50);
  };
  supervisor.onLine((line) => {
    received++;
    if (!flooding && line.msg === 'join connections') {
      flooding = true;
      roundStart = performance.now();
      roundRenders = renders;
      if (!floodStart) floodStart = roundStart;
    }
    if (line.msg === 'flood round done') endRound();
    if (line.msg === 'flood done') {
      endRound();
      floodEnd = performance.now();
    }
  });

  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);

  // Keypresses: "p" every KEY_EVERY_MS (a fast typist) while lines flood in; the time until a frame shows it.
  const latencies: number[] = [];
  let pending: { want: boolean; since: number } | undefined;
  let paused = false;
  terminal.onWrite = (text) => {
    if (!pending) return;
    if (text.includes('PAUSED') === pending.want) {
      latencies.push(performance.now() - pending.since);
      paused = pending.want;
      pending = undefined;
    }
  };
  // The first floods measure rendering alone; the later ones keys too (each key is a render of its own).
  const KEY_FROM_ROUND = Math.min(3, ROUNDS);
  const presser = setInterval(() => {
    if (!flooding || pending || rounds.length + 1 < KEY_FROM_ROUND) return;
    pending = { want: !paused, since: performance.now() };
    keyboard.write('p');
  }, KEY_EVERY_MS);

  await supervisor.start();
  while (!floodEnd) await new Promise((r) => setTimeout(r, 5));
  clearInterval(presser);
  await new Promise((r) => setTimeout(r, 200));
  clearInterval(sampler);
  instance.unmount();
  await stopAll();

  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const quiet = rounds.slice(1, KEY_FROM_ROUND - 1);
  const rendersPerSecond = quiet.reduce((n, r) => n + r.renders, 0) / quiet.reduce((n, r) => n + r.seconds, 0);
  console.log(
    `${ROUNDS} floods of ${LINES.toLocaleString('en')} lines each, the first as fast as the pipe goes, then at ${RATES[1]?.toLocaleString('en')} lines/s (pipe → split → parse → ring buffer of 2,000 → view, 160×48 terminal):`,
  );
  for (const [i, r] of rounds.entries()) {
    console.log(
      `  flood ${i + 1}${i + 1 >= KEY_FROM_ROUND ? ' (keys)' : ''}: ${r.seconds.toFixed(2)} s (${Math.round(LINES / r.seconds).toLocaleString('en')} lines/s) · ${r.renders} renders (${(r.renders / r.seconds).toFixed(1)}/s) · after it: RSS ${mb(r.rss)}, heap ${mb(r.heap)}`,
    );
  }
  console.log(`renders: ${rendersPerSecond.toFixed(1)}/s during flood 2 (no keys) · peak RSS ${mb(peak)}`);
  console.log(
    `keypress → frame (${latencies.length} presses of "p" while flooding): median ${pct(50).toFixed(1)} ms · p95 ${pct(95).toFixed(1)} ms · max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`,
  );
  const growth = rounds.length >= 2 ? rounds.at(-1)!.heap - rounds[0]!.heap : 0;
  console.log(
    `targets: ≤ 30 renders/s ${rendersPerSecond <= 30 ? 'met' : 'NOT met'} · RSS ≤ 200 MB ${peak <= 200 * 1024 * 1024 ? 'met' : 'NOT met'}, heap growth from flood 1 to ${rounds.length}: ${mb(growth)} · keypress ≤ 100 ms ${pct(95) <= 100 ? 'met (p95)' : 'NOT met (p95)'}`,
  );
}

await main();
process.exit(0);
