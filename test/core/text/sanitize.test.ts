// The one sanitiser, on its own: every sequence goes with its payload, every control and bidi
// override goes, the text stays. (What really reaches the terminal: test/reliability/terminal-escapes.)
import { describe, expect, it } from 'vitest';
import { sanitize, sanitizeLine, terminalJson } from '../../../src/core/text';

const ESC = '\u001b';
const HOSTILE = `${ESC}]52;c;cm0gLXJmIH4=\u0007${ESC}]0;title\u0007${ESC}]8;;https://evil.example.com/${ESC}\\click-me${ESC}]8;;${ESC}\\${ESC}[2J${ESC}[H\u0000\u0008\r\u009b2J\u202eevil\u202c${ESC}P1$r0m${ESC}\\`;

describe('sanitize', () => {
  it('keeps the text; drops each sequence with its payload, each control and each bidi override', () => {
    expect(sanitize(`a${HOSTILE}b\tc\nd`)).toBe('aclick-meevilb\tc\nd');
  });
  it('leaves text alone, and makes lone surrogates U+FFFD', () => {
    expect(sanitize('plain text: ✔ ünïcödé 日本 → ok')).toBe('plain text: ✔ ünïcödé 日本 → ok');
    expect(sanitize('lone \ud800 surrogate')).toBe('lone \ufffd surrogate');
  });
  it('sanitizeLine keeps a value on its line', () => {
    expect(sanitizeLine('a\nb\tc\r\nd')).toBe('a b c d');
  });
  it('terminalJson writes C1 and bidi controls as \\u escapes: the same data, nothing a terminal acts on', () => {
    const value = { name: `x\u009b2J\u202ey${ESC}` };
    const json = terminalJson(value);
    expect(json).toBe('{"name":"x\\u009b2J\\u202ey\\u001b"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});
