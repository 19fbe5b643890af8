// Stands in for the ngrok agent where a flood of log lines is the point (the live view's tests and
// benchmark): prints the agent's startup lines in its json format, then NGROK_FLOOD_LINES lines as fast as
// the pipe takes them or at NGROK_FLOOD_RATES (NGROK_FLOOD_DELAY_MS before; NGROK_FLOOD_ROUNDS floods, NGROK_FLOOD_PAUSE_MS apart),
// then "flood done", and stays up until SIGTERM. Its settings are NGROK_* variables: the agent's
// environment is an allow-list (src/core/process/child-env.ts) that passes those on.
// Arguments (the agent's) are ignored.
const total = Number(process.env.NGROK_FLOOD_LINES ?? 100_000);
const url = process.env.NGROK_FLOOD_URL ?? 'https://flood.ngrok.app';
const delayMs = Number(process.env.NGROK_FLOOD_DELAY_MS ?? 0);
const now = () => new Date().toISOString().replace('Z', '+0000');
const line = (lvl, msg, fields = {}) => `${JSON.stringify({ t: now(), lvl, msg, ...fields })}\n`;

process.on('SIGTERM', () => {
  process.stdout.write(line('info', 'received stop request', { obj: 'app' }));
  process.exit(0);
});
process.on('SIGINT', () => process.exit(0));

const out = process.stdout;
const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', resolve)));

await write(line('info', 'no configuration paths supplied'));
await write(line('info', 'client session established', { obj: 'tunnels.session' }));
await write(
  line('info', 'started tunnel', { obj: 'tunnels', name: 'command_line', addr: 'http://localhost:8000', url }),
);
if (delayMs) await new Promise((r) => setTimeout(r, delayMs));

const LEVELS = ['info', 'info', 'info', 'dbug', 'dbug', 'warn'];
const rounds = Number(process.env.NGROK_FLOOD_ROUNDS ?? 1);
// Lines per second of each round, comma-separated; 0 (the default) is as fast as the pipe takes them.
const rates = (process.env.NGROK_FLOOD_RATES ?? '').split(',').map(Number);
for (let round = 1; round <= rounds; round++) {
  const t = now();
  const rate = rates[round - 1] || 0;
  const began = Date.now();
  for (let i = 0; i < total;) {
    if (rate) {
      const due = began + (i / rate) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    let chunk = '';
    for (const end = Math.min(total, i + 500); i < end; i++) {
      const lvl = LEVELS[i % LEVELS.length];
      chunk += `{"t":"${t}","lvl":"${lvl}","msg":"${lvl === 'warn' ? 'slow upstream' : 'join connections'}","obj":"join","id":"flood-${i}","l":"127.0.0.1:8000","r":"203.0.113.7:${40000 + (i % 20000)}"}\n`;
    }
    await write(chunk);
  }
  if (round < rounds) {
    await write(line('info', 'flood round done', { obj: 'flood', round }));
    await new Promise((r) => setTimeout(r, Number(process.env.NGROK_FLOOD_PAUSE_MS ?? 300)));
  }
}
await write(line('info', 'flood done', { obj: 'flood', lines: total, rounds }));
setInterval(() => {}, 1 << 30);
