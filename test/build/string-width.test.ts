// The bundle gives string-width a second fast path (scripts/build-plugins.mjs). It must measure every
// string exactly as the original does: compared here for every code point it covers, both ways of
// counting ambiguous widths, and strings that mix them with ones it leaves to the original.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import original from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import { SIMPLE_TEXT, stringWidthFastPath } from '../../scripts/build-plugins.mjs';
import { ROOT, tempDir } from '../helpers/cli';

async function patchedStringWidth(): Promise<typeof original> {
  const out = path.join(tempDir(), 'string-width.mjs');
  const result = await build({ stdin: { contents: "export { default } from 'string-width';", resolveDir: ROOT }, bundle: true, write: false, format: 'esm', platform: 'node', plugins: [stringWidthFastPath], logLevel: 'silent' });
  writeFileSync(out, result.outputFiles[0]!.text);
  return ((await import(pathToFileURL(out).href)) as { default: typeof original }).default;
}

/** Every code point the fast path takes, from its own pattern. */
function simpleCodePoints(): number[] {
  const ranges = [...SIMPLE_TEXT.matchAll(/\\u([0-9A-F]{4})-\\u([0-9A-F]{4})/g)].map((m) => [parseInt(m[1]!, 16), parseInt(m[2]!, 16)] as const);
  expect(ranges.length).toBeGreaterThan(5);
  return ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

describe('string-width with the bundle\'s fast path', () => {
  it('measures every code point it covers as the original does', async () => {
    const patched = await patchedStringWidth();
    const codePoints = simpleCodePoints();
    expect(codePoints.length).toBe(2357);
    const differ: string[] = [];
    for (const ambiguousIsNarrow of [true, false]) {
      for (const cp of codePoints) {
        const text = String.fromCodePoint(cp);
        if (patched(text, { ambiguousIsNarrow }) !== original(text, { ambiguousIsNarrow })) differ.push(`U+${cp.toString(16).toUpperCase()}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('measures mixed strings as the original does, including those it leaves to the original', async () => {
    const patched = await patchedStringWidth();
    const samples = [
      'ngrok-fusionauth · protect a local site', '❯ 1. Before You Start', '✔ python 3.11.7 — ok…', '⠋ Checking what already holds…',
      '○ ✘ – ℹ ⚠ │ ├─ ▶ ← → ↑ ↓ ⌘ ⏎', 'café', 'e\u0301', '✔\uFE0F', '✅ done', '👍🏽', '漢字', 'ｱｲｳ', '한국어', '🇫🇷', 'a\u200Db', '\u00AD', '\u001B[31mred\u001B[39m ✔',
    ];
    for (const text of samples) {
      for (const ambiguousIsNarrow of [true, false]) expect(patched(text, { ambiguousIsNarrow }), JSON.stringify(text)).toBe(original(text, { ambiguousIsNarrow }));
    }
  });

  it('is really in the path: a string it covers does not reach the segmenter', async () => {
    const patched = await patchedStringWidth();
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      expect(patched('❯ ✔ · … ⠋')).toBe(9);
      expect(segment).not.toHaveBeenCalled();
      expect(patched('e\u0301')).toBe(1);
      expect(segment).toHaveBeenCalledTimes(1);
    } finally {
      segment.mockRestore();
    }
  });
});
