// The keymap tables (src/ui/keymap.ts) and the step screen's table (stepKeys): a key is handled only
// when its hint is drawn, and every drawn hint runs what it names. Pure: no terminal, no process.
// Also the arithmetic of fitting (src/ui/layout/fit.ts, use-scroll.ts, TextInput's window) and the
// text cursor with NO_COLOR (drawn in reverse video even when chalk is off).
import { Text } from 'ink';
import { describe, expect, it } from 'vitest';
import { dispatch, fitHints, hintsOf, type KeyBinding, type KeyPress } from '../../src/ui/keymap';
import { qrFits, truncateMiddle } from '../../src/ui/layout/fit';
import { scrolled } from '../../src/ui/layout/use-scroll';
import { stepKeys, type StepKeyState } from '../../src/ui/screens/StepScreen';
import { CURSOR_ON, TextInput, visibleWindow } from '../../src/ui/components/TextInput';
import { choiceKeys } from '../../src/ui/components/choice-keys';
import { Screen } from '../../src/ui/components/Screen';
import { plain, render } from '../helpers/ink';

/** A key press as Ink reports it, from the name a hint shows. */
function pressOf(name: string): [string, KeyPress] {
  const named: Record<string, KeyPress> = {
    enter: { return: true },
    esc: { escape: true },
    '↑↓': { upArrow: true },
    'PgUp/PgDn': { pageUp: true },
  };
  if (named[name]) return ['', named[name]];
  if (/^\d-\d$/.test(name)) return [name[0]!, {}];
  if (name === 'p/space') return ['p', {}];
  return [name, {}];
}

function state(partial: Partial<StepKeyState>, calls: string[]): StepKeyState {
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      calls.push(args.length ? `${name}(${args.join(',')})` : name);
  return {
    phase: { kind: 'review', findings: [] },
    hasFields: true,
    fieldCount: 2,
    typing: false,
    choice: 0,
    selected: 0,
    secret: false,
    reveal: false,
    truncated: false,
    whole: false,
    submitLabel: 'check now',
    canGoBack: true,
    actions: {
      continue: record('continue'),
      edit: record('edit'),
      checkAgain: record('checkAgain'),
      applyNow: record('applyNow'),
      submitText: record('submitText'),
      choose: record('choose'),
      select: record('select'),
      answer: record('answer'),
      back: record('back'),
      skip: record('skip'),
      quit: record('quit'),
      reveal: record('reveal'),
      whole: record('whole'),
    },
    ...partial,
  };
}

const question = {
  key: 'nextPort',
  prompt: 'Use port 8001 instead, or stop?',
  choices: [
    { key: 'y', label: 'use port 8001', value: '8001' },
    { key: 's', label: 'stop: I will free port 8000', value: 'no' },
  ],
};

/** What each hint's label promises, as the action it must run. */
const PROMISE: Record<string, RegExp> = {
  continue: /^continue$/,
  edit: /^edit$/,
  'check again': /^checkAgain$/,
  'check now': /^applyNow$/,
  'try again': /^applyNow$/,
  next: /^submitText$/,
  choose: /^choose\(\d\)$/,
  move: /^select\(\d\)$/,
  'select by number': /^select\(0\)$/,
  back: /^back$/,
  'skip for now': /^skip$/,
  quit: /^quit$/,
  'reveal secret': /^reveal$/,
  'hide secret': /^reveal$/,
  'whole values': /^whole$/,
  'cut long values': /^whole$/,
  'use port 8001': /^answer\(8001\)$/,
  'stop: I will free port 8000': /^answer\(no\)$/,
};

const STATES: Record<string, Partial<StepKeyState>> = {
  checking: { phase: { kind: 'checking' } },
  applying: { phase: { kind: 'applying' } },
  review: { phase: { kind: 'review', findings: [] }, secret: true, truncated: true },
  'form, text': { phase: { kind: 'form', index: 0, findings: [] }, typing: true },
  'form, choice': { phase: { kind: 'form', index: 1, findings: [] }, choice: 2 },
  'form, nothing to ask': { phase: { kind: 'form', index: 0, findings: [] }, fieldCount: 0 },
  question: { phase: { kind: 'result', result: { status: 'ask', findings: [], question } }, question },
  done: { phase: { kind: 'result', result: { status: 'done', findings: [] } }, secret: true, whole: true },
  failed: { phase: { kind: 'result', result: { status: 'failed', findings: [] } } },
};

describe('the step screen’s keymap', () => {
  for (const [name, partial] of Object.entries(STATES)) {
    it(`${name}: every hint runs what it says; no key without a hint`, () => {
      const calls: string[] = [];
      const keys = stepKeys(state(partial, calls));
      const hints = hintsOf(keys, true);
      expect(hints.length).toBeGreaterThan(0);
      for (const hint of hints) {
        calls.length = 0;
        const [input, key] = pressOf(hint.key);
        expect(dispatch(keys, input, key), `${hint.key} ${hint.label}`).toBe(true);
        expect(calls, `${hint.key} ${hint.label}`).toHaveLength(1);
        expect(calls[0], `${hint.key} ${hint.label}`).toMatch(PROMISE[hint.label] ?? /^$/);
      }
      // The old screen's unlisted keys: b and ← went back without a hint.
      calls.length = 0;
      dispatch(keys, 'b', {});
      dispatch(keys, '', { leftArrow: true });
      expect(calls).toEqual([]);
    });
  }

  it('Esc goes back from a y/n question, and q quits wherever no text field has the keyboard', () => {
    for (const [name, partial] of Object.entries(STATES)) {
      const hints = hintsOf(stepKeys(state(partial, [])), true).map((h) => `${h.key} ${h.label}`);
      if (name === 'form, text') expect(hints).not.toContain('q quit');
      else expect(hints, name).toContain('q quit');
      if (name !== 'applying') expect(hints, name).toContain('esc back');
    }
  });
});

describe('keymap', () => {
  const calls: string[] = [];
  const table: KeyBinding[] = [
    { key: 'enter', label: 'apply', run: () => calls.push('apply') },
    { key: 'x', label: 'off', when: false, run: () => calls.push('off') },
    { key: 'h', label: 'hidden from the line', minor: true, run: () => calls.push('minor') },
    { key: 'text', label: 'type', run: (_k, text) => calls.push(`text ${text}`) },
  ];

  it('runs the first active binding; `text` takes what no binding names; an inactive key is neither run nor shown', () => {
    dispatch(table, '', { return: true });
    dispatch(table, 'x', {});
    dispatch(table, 'h', {});
    dispatch(table, 'ab', {});
    expect(calls).toEqual(['apply', 'text x', 'minor', 'text ab']);
    expect(hintsOf(table).map((h) => h.key)).toEqual(['enter']);
    expect(hintsOf(table, true).map((h) => h.key)).toEqual(['enter', 'h']);
  });

  it('fits the hints in two rows of the width, keeping `? all keys` when some are cut', () => {
    const hints = Array.from({ length: 12 }, (_, i) => ({ key: String.fromCharCode(97 + i), label: 'something' }));
    hints.push({ key: '?', label: 'all keys' });
    const { lines, cut } = fitHints(hints, 40, 2);
    expect(cut).toBe(true);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.map((h) => `${h.key} ${h.label}`).join('  ').length).toBeLessThanOrEqual(40);
    expect(lines.at(-1)!.at(-1)).toEqual({ key: '?', label: 'all keys' });
  });
});

describe('fitting', () => {
  it('cuts a long value in the middle, keeping both ends', () => {
    expect(truncateMiddle('/home/someone/projects/apptoprotect', 20)).toBe('/home/some…toprotect');
    expect(truncateMiddle('short', 20)).toBe('short');
    expect([...truncateMiddle('x'.repeat(100), 13)]).toHaveLength(13);
  });

  it('scrolls within the content: a line, a page, never past either end', () => {
    expect(scrolled(0, 'up', 10, 30)).toBe(0);
    expect(scrolled(0, 'down', 10, 30)).toBe(1);
    expect(scrolled(25, 'pgdn', 10, 30)).toBe(30);
    expect(scrolled(5, 'pgup', 10, 30)).toBe(0);
  });

  it('draws a QR code only whole', () => {
    const qr = Array.from({ length: 15 }, () => '█'.repeat(29));
    expect(qrFits(qr, 15, 29)).toBe(true);
    expect(qrFits(qr, 14, 80)).toBe(false);
    expect(qrFits(qr, 40, 28)).toBe(false);
  });

  it('keeps the cursor of a long value in sight, within the width', () => {
    const path = '/a/very/long/path/that/does/not/fit/in/the/field';
    const end = visibleWindow(path, path.length, 20);
    expect([...end.text].length).toBeLessThanOrEqual(20);
    expect(end.text.startsWith('…')).toBe(true);
    expect(end.text.endsWith('field')).toBe(true);
    const start = visibleWindow(path, 0, 20);
    expect(start.cursor).toBe(0);
    expect(start.text.endsWith('…')).toBe(true);
  });
});

describe('the text cursor', () => {
  it('is reverse video written as SGR 7, so NO_COLOR (chalk off) keeps it visible', async () => {
    const previous = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = '0';
    try {
      const app = render(<TextInput value="abc" onChange={() => {}} />);
      await new Promise((r) => setTimeout(r, 50));
      expect(app.lastFrame()).toContain(`abc${CURSOR_ON} `);
      app.unmount();
      // What Ink's own `inverse` gives with chalk off: nothing, so the cursor would vanish.
      const plainInverse = render(<Text inverse>x</Text>);
      await new Promise((r) => setTimeout(r, 50));
      expect(plainInverse.lastFrame()).not.toContain(CURSOR_ON);
      plainInverse.unmount();
    } finally {
      if (previous === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = previous;
    }
  });
});

describe('the frame', () => {
  it('gives ↑/↓ to a choice list on screen: one meaning per key, the body paging with PgUp/PgDn', async () => {
    const moves: number[] = [];
    const body = (
      <>
        {Array.from({ length: 40 }, (_, i) => (
          <Text key={i}>line {i}</Text>
        ))}
      </>
    );
    const app = render(
      <Screen
        title="A choice"
        body={body}
        keys={choiceKeys(
          2,
          0,
          (i) => moves.push(i),
          () => undefined,
        )}
      />,
      60,
      20,
    );
    await new Promise((r) => setTimeout(r, 100));
    const frame = plain(app.lastFrame());
    expect(frame).toContain('↑↓ move');
    expect(frame).not.toContain('↑↓ scroll');
    expect(frame).toContain('↓ ');
    app.stdin.write('\u001b[B');
    await new Promise((r) => setTimeout(r, 50));
    expect(moves).toEqual([1]);
    expect(plain(app.lastFrame())).toContain('line 0');
    app.stdin.write('\u001b[6~');
    await new Promise((r) => setTimeout(r, 100));
    expect(plain(app.lastFrame())).not.toContain('line 0\n');
    app.unmount();
  });
});
