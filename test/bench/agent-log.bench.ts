// Parser throughput: 1,000,000 agent lines in ngrok's json format (and logfmt, for comparison), as
// the supervisor receives them: split from stream chunks, redacted, parsed. Target ≥ 200,000 lines/s.
import { lineSplitter } from '../../src/core/agent';
import { parseAgentLine } from '../../src/core/agent';
import { redact } from '../../src/core/text';
import { formatLine, type Fields, type Level } from '../../src/sandbox/agent/log';

const COUNT = 1_000_000;

/** A realistic mix: what a busy agent prints (connections, requests, the odd warning and error). */
function sample(format: 'json' | 'logfmt', i: number): string {
  const kinds: Array<[Level, string, Fields]> = [
    [
      'info',
      'join connections',
      { obj: 'join', id: `a${i.toString(16)}`, l: 'localhost:8000', r: `203.0.113.${i % 250}:${40000 + (i % 20000)}` },
    ],
    ['dbug', 'read from upstream', { obj: 'tunnels', id: `a${i}`, bytes: 1024 + (i % 4096) }],
    [
      'info',
      'started tunnel',
      { obj: 'tunnels', name: 'command_line', addr: 'http://localhost:8000', url: 'https://demo-site.ngrok.app' },
    ],
    [
      'warn',
      'failed to open private leg',
      { id: `airt_${i}`, privaddr: 'localhost:8000', err: 'dial tcp 127.0.0.1:8000: connect: connection refused' },
    ],
    [
      'eror',
      'failed to reconnect session',
      {
        obj: 'tunnels.session',
        err: 'authentication failed: Usage of ngrok requires a verified account and authtoken.\r\n\r\nERR_NGROK_4018\r\n',
      },
    ],
  ];
  const MIX = [0, 0, 0, 0, 0, 0, 1, 1, 3, 4];
  const [level, msg, fields] = kinds[i % 1000 === 0 ? 2 : MIX[i % 10]!]!;
  return formatLine(format, level, msg, fields);
}

function measure(format: 'json' | 'logfmt') {
  const lines: string[] = [];
  for (let i = 0; i < 1000; i++) lines.push(sample(format, i));
  // Stream chunks of 64 KB, as a pipe delivers them.
  let text = '';
  for (let i = 0; i < COUNT; i++) text += `${lines[i % lines.length]}\n`;
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += 65536) chunks.push(text.slice(at, at + 65536));
  const secrets = ['s3cr3t-client-secret-value', 'fusionauth-api-key-value'];

  // Parse only.
  const parsedLines = text.split('\n').slice(0, COUNT);
  globalThis.gc?.();
  let t0 = performance.now();
  let errors = 0;
  for (const line of parsedLines) if (parseAgentLine(line).level === 'eror') errors++;
  const parseMs = performance.now() - t0;

  // Parse and read every field of every line (what the view does for the lines it shows).
  globalThis.gc?.();
  t0 = performance.now();
  let keys = 0;
  for (const line of parsedLines) keys += Object.keys(parseAgentLine(line).fields).length;
  const fullMs = performance.now() - t0;

  // The supervisor's path: split chunks into lines, redact, parse.
  globalThis.gc?.();
  let count = 0;
  const split = lineSplitter((line) => {
    parseAgentLine(redact(line, secrets));
    count++;
  });
  t0 = performance.now();
  for (const chunk of chunks) split.push(chunk);
  split.flush();
  const pipelineMs = performance.now() - t0;
  const mb = Buffer.byteLength(text) / 1e6;
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');
  console.log(
    `${format.padEnd(6)} ${COUNT.toLocaleString('en')} lines (${mb.toFixed(0)} MB): parse ${rate(COUNT, parseMs)} lines/s · parse + every field ${rate(COUNT, fullMs)} lines/s · split + redact + parse ${rate(count, pipelineMs)} lines/s (${errors.toLocaleString('en')} error lines, ${keys.toLocaleString('en')} fields)`,
  );
  return COUNT / (parseMs / 1000);
}

const json = measure('json');
measure('logfmt');
console.log(`target ≥ 200,000 lines/s (json parse): ${json >= 200_000 ? 'met' : 'NOT met'}`);
