// The plain-text lines, byte for byte: scripts and people read them (status, verify, destroy,
// setup --no-input, tunnel --no-tui), so each format is pinned here as it is printed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAgentLine, type AgentProblem } from '../../../src/core/agent';
import {
  checkLine,
  describeLine,
  findingLines,
  heading,
  plainLine,
  plainState,
  stepLine,
} from '../../../src/core/text';

describe('findingLines', () => {
  it.each([
    ['ok', '✔'],
    ['info', 'ℹ'],
    ['warn', '⚠'],
    ['error', '✘'],
    ['unchecked', '–'],
  ] as const)('marks a finding of level %s with %s', (level, mark) => {
    expect(findingLines({ level, title: 'The title' })).toBe(`${mark} The title`);
  });

  it('puts the fix under the title, two columns further in, and indents both', () => {
    expect(findingLines({ level: 'error', title: 'Broken', fix: 'Mend it' })).toBe('✘ Broken\n  → Mend it');
    expect(findingLines({ level: 'warn', title: 'Shaky', fix: 'Prop it' }, '   ')).toBe('   ⚠ Shaky\n     → Prop it');
  });
});

describe('checkLine', () => {
  it('writes a check as mark, title and message', () => {
    expect(checkLine({ id: 'issuer', status: 'pass', title: 'FusionAuth issuer', message: 'it matches.' })).toBe(
      '✔ FusionAuth issuer: it matches.',
    );
    expect(
      checkLine({ id: 'login', status: 'skip', title: 'Logging in', message: 'not in this mode.', fix: 'unused' }),
    ).toBe('– Logging in: not in this mode.');
  });

  it('shows the fix of a failed check only', () => {
    expect(
      checkLine({ id: 'issuer', status: 'fail', title: 'FusionAuth issuer', message: 'it differs.', fix: 'Set it.' }),
    ).toBe('✘ FusionAuth issuer: it differs.\n  → Set it.');
    expect(checkLine({ id: 'issuer', status: 'fail', title: 'FusionAuth issuer', message: 'it differs.' })).toBe(
      '✘ FusionAuth issuer: it differs.',
    );
  });
});

describe('stepLine', () => {
  it('numbers a step and says its state, except "pending"', () => {
    expect(stepLine(1, { title: 'Before You Start', status: 'done', message: null })).toBe(
      '  ✔ 1. Before You Start — done',
    );
    expect(stepLine(3, { title: 'Set Up FusionAuth', status: 'failed', message: 'issuer' })).toBe(
      '  ✘ 3. Set Up FusionAuth — failed (issuer)',
    );
    expect(stepLine(4, { title: 'Set Up ngrok Cloud Edge', status: 'skipped' })).toBe(
      '  – 4. Set Up ngrok Cloud Edge — skipped',
    );
    expect(stepLine(6, { title: 'Test It Out', status: 'pending', message: 'later' })).toBe(
      '  ○ 6. Test It Out (later)',
    );
  });
});

describe('agent lines', () => {
  afterEach(() => vi.useRealTimers());

  it("writes a log line with the agent's own time and its level", () => {
    const line = parseAgentLine(
      '{"t":"2026-08-10T07:20:40+0000","lvl":"info","msg":"started tunnel","obj":"tunnels","url":"https://x.ngrok.app"}',
    );
    expect(plainLine(line)).toBe('07:20:40 INFO started tunnel obj=tunnels url=https://x.ngrok.app');
  });

  it("quotes values with spaces and marks the supervisor's own lines, without their obj", () => {
    const line = parseAgentLine(
      't=2026-08-10T07:20:41+0000 lvl=eror msg="failed to reconnect session" err="ERR_NGROK_334 x" addr=""',
    );
    expect(plainLine(line)).toBe('07:20:41 EROR failed to reconnect session err="ERR_NGROK_334 x" addr=""');
    const own = parseAgentLine(
      '{"t":"2026-08-10T07:20:42+0000","lvl":"warn","msg":"restarting","obj":"supervisor","in":"2s"}',
      'supervisor',
    );
    expect(plainLine(own)).toBe('07:20:42 WARN » restarting in=2s');
    expect(describeLine(own)).toBe('restarting in=2s');
  });

  it('uses the time now for a line without one', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05Z'));
    expect(plainLine(parseAgentLine('ERROR:  authentication failed', 'stderr'))).toBe(
      '03:04:05 EROR authentication failed',
    );
  });

  it('writes each state as a heading, a failure with its fix under it', () => {
    const problem = (fix?: string): AgentProblem => ({ message: 'boom', permanent: true, ...(fix ? { fix } : {}) });
    expect(plainState({ kind: 'online', url: 'https://x.ngrok.app' })).toBe('== online: https://x.ngrok.app');
    expect(plainState({ kind: 'reconnecting' })).toBe('== reconnecting');
    expect(plainState({ kind: 'reconnecting', reason: 'network' })).toBe('== reconnecting: network');
    expect(plainState({ kind: 'stopped' })).toBe('== stopped');
    expect(plainState({ kind: 'failed', problem: problem('Fix boom.') })).toBe('== failed: boom\n   → Fix boom.');
    expect(plainState({ kind: 'failed', problem: problem() })).toBe('== failed: boom');
    expect(heading('Test It Out')).toBe('== Test It Out');
  });
});
