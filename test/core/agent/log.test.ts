// The agent's log lines as the agent (stand-in) formats them, read back by the parser the supervisor
// and the live view use; the error codes behind them become a sentence and a fix.
import { describe, expect, it } from 'vitest';
import { lineSplitter } from '../../../src/core/agent';
import { agentError, agentProblem, isKnownCode } from '../../../src/core/agent';
import { errorCodeIn, parseAgentLine, parseLogfmt } from '../../../src/core/agent';
import { describeLine } from '../../../src/core/text';
import { formatLine } from '../../../src/sandbox/agent/log';

describe('parseAgentLine', () => {
  it('reads json lines, keeping structured fields', () => {
    const raw = formatLine('json', 'info', 'started tunnel', {
      obj: 'tunnels',
      name: 'command_line',
      addr: 'http://localhost:8000',
      url: 'https://x.ngrok.app',
    });
    const line = parseAgentLine(raw);
    expect(line).toMatchObject({ level: 'info', msg: 'started tunnel', source: 'stdout', raw });
    expect(line.fields).toMatchObject({ obj: 'tunnels', url: 'https://x.ngrok.app' });
    expect(describeLine(line)).toBe(
      'started tunnel obj=tunnels name=command_line addr=http://localhost:8000 url=https://x.ngrok.app',
    );
    const objectAddr = parseAgentLine('{"t":"x","lvl":"dbug","msg":"m","addr":{"Host":"localhost","Port":8000}}');
    expect(describeLine(objectAddr)).toBe('m addr={"Host":"localhost","Port":8000}');
  });

  it("reads a json line's level and message from the text and its fields when asked (escapes, spacing, cut lines)", () => {
    const escaped = parseAgentLine(JSON.stringify({ t: 'x', lvl: 'warn', msg: 'say "hi"\\ there', err: 'a\nb' }));
    expect(escaped).toMatchObject({ level: 'warn', msg: 'say "hi"\\ there' });
    expect(escaped.fields.err).toBe('a\nb');
    const spaced = parseAgentLine('{ "lvl": "eror", "msg": "spaced out", "obj": "x" }');
    expect(spaced).toMatchObject({ level: 'eror', msg: 'spaced out', fields: { obj: 'x' } });
    const cut = parseAgentLine('{"t":"x","lvl":"info","msg":"cut in the mid');
    expect(cut).toMatchObject({ level: 'info', msg: '{"t":"x","lvl":"info","msg":"cut in the mid', fields: {} });
  });

  it('reads logfmt lines, quoted values with escapes included', () => {
    const raw = formatLine('logfmt', 'eror', 'failed to reconnect session', {
      obj: 'tunnels.session',
      err: 'authentication failed: "bad"\r\n\r\nERR_NGROK_4018\r\n',
    });
    const line = parseAgentLine(raw);
    expect(line.level).toBe('eror');
    expect(line.msg).toBe('failed to reconnect session');
    expect(line.fields.err).toBe('authentication failed: "bad"\r\n\r\nERR_NGROK_4018\r\n');
    expect(errorCodeIn(line)).toBe('ERR_NGROK_4018');
    expect(parseLogfmt('a=1 flag b="x y" c=')).toEqual({ a: '1', flag: true, b: 'x y', c: '' });
  });

  it('reads every level ngrok spells (dbug info warn eror crit)', () => {
    for (const level of ['dbug', 'info', 'warn', 'eror', 'crit'] as const) {
      expect(parseAgentLine(formatLine('json', level, 'm', {})).level).toBe(level);
      expect(parseAgentLine(formatLine('logfmt', level, 'm', {})).level).toBe(level);
    }
  });

  it('keeps other text: ngrok\'s "ERROR:" lines are errors, anything else is info', () => {
    expect(
      parseAgentLine('ERROR:  authentication failed: Usage of ngrok requires a verified account', 'stderr'),
    ).toMatchObject({ level: 'eror', msg: 'authentication failed: Usage of ngrok requires a verified account' });
    expect(parseAgentLine('Session Status    online')).toMatchObject({
      level: 'info',
      msg: 'Session Status    online',
      fields: {},
    });
    expect(parseAgentLine('{not json')).toMatchObject({ level: 'info', msg: '{not json' });
    expect(parseAgentLine('{"no":"level"}')).toMatchObject({ level: 'info' });
  });
});

describe('lineSplitter', () => {
  it('splits chunks at newlines across chunk boundaries, CRLF too, and cuts endless lines', () => {
    const lines: string[] = [];
    const split = lineSplitter((l) => lines.push(l), 10);
    split.push('ab');
    split.push('c\r\nde\n\nf');
    split.push('0123456789xyz');
    split.push('\nlast');
    split.flush();
    expect(lines).toEqual(['abc', 'de', 'f0123456789xyz', 'last']);
  });
});

describe('agent error codes', () => {
  it('4018 and the authtoken errors say what to run', () => {
    expect(agentError('ERR_NGROK_4018')?.fix).toContain('ngrok config add-authtoken');
    for (const code of ['ERR_NGROK_105', 'ERR_NGROK_107'])
      expect(agentError(code)).toMatchObject({ permanent: true, fix: expect.stringContaining('add-authtoken') });
    expect(agentError('ERR_NGROK_108')?.permanent).toBe(false);
    expect(agentError('ERR_NGROK_7008')?.fix).toContain('--ngrok-mode endpoint');
    for (const code of ['ERR_NGROK_394', 'ERR_NGROK_6531', 'ERR_NGROK_334'])
      expect(agentError(code)?.sentence).toBeTruthy();
  });

  it("an unknown code keeps the agent's own words and links ngrok's page for it; plain text keeps its first line", () => {
    expect(agentProblem('failed to start tunnel: something new\r\n\r\nERR_NGROK_99999\r\n')).toEqual({
      message: 'failed to start tunnel: something new (ERR_NGROK_99999)',
      fix: 'ngrok explains ERR_NGROK_99999 at https://ngrok.com/docs/errors/err_ngrok_99999',
      code: 'ERR_NGROK_99999',
      permanent: false,
    });
    // Every line of its message, not only the first.
    expect(agentProblem('failed to start tunnel: one\ntwo\r\n\r\nERR_NGROK_4242\r\n').message).toBe(
      'failed to start tunnel: one two (ERR_NGROK_4242)',
    );
    expect(agentProblem('ERR_NGROK_4242')).toMatchObject({
      message: 'ngrok reported ERR_NGROK_4242.',
      fix: expect.stringContaining('https://ngrok.com/docs/errors/err_ngrok_4242'),
    });
    expect(agentProblem('dial tcp: connection refused\nmore')).toEqual({
      message: 'dial tcp: connection refused',
      permanent: false,
    });
    expect(agentProblem('authentication failed: x\n\nERR_NGROK_4018')).toMatchObject({
      message: 'The ngrok agent has no authtoken configured. (ERR_NGROK_4018)',
      permanent: true,
    });
    expect(isKnownCode('ERR_NGROK_334')).toBe(true);
    expect(isKnownCode('ERR_NGROK_99999')).toBe(false);
  });

  it('334 is retried for a bounded time: a session that died holds the URL until ngrok drops it', () => {
    expect(agentError('ERR_NGROK_334')).toMatchObject({
      permanent: false,
      clearsWithinMs: 120_000,
      fix: expect.stringContaining('--pooling-enabled'),
    });
    expect(
      agentProblem('failed to start tunnel: The endpoint is already online.\r\n\r\nERR_NGROK_334\r\n'),
    ).toMatchObject({ code: 'ERR_NGROK_334', permanent: false, clearsWithinMs: 120_000 });
  });

  it('a flag the agent does not know means an older agent: ngrok update, and no restart helps', () => {
    expect(agentProblem('unknown flag: --pooling-enabled')).toEqual({
      message: 'This ngrok agent does not know --pooling-enabled: it is older than this setup needs.',
      fix: expect.stringContaining('ngrok update'),
      permanent: true,
    });
  });
});
