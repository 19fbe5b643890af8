// The bundle's string-width is our own module, src/patches/string-width.ts: a fast path, then the
// original. It must measure every string exactly as the original does: compared here for every code
// point its fast path takes, both ways of counting ambiguous widths, and strings that mix them with
// ones it leaves to the original. Then the build's alias (scripts/build-plugins.mjs): it must put the
// patch in front of the original, and leave the original alone on a version the patch was not
// reviewed for.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import original from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import { REVIEWED, STRING_WIDTH_PATCH, stringWidthFastPath } from '../../scripts/build-plugins.mjs';
import patched, { SIMPLE_TEXT } from '../../src/patches/string-width';
import { ROOT, tempDir } from '../helpers/cli';

/** `string-width` bundled with the plugin (reviewed on `reviewed`), loaded, and what went into it. */
async function bundled(reviewed?: string[], from = 'string-width') {
  const out = path.join(tempDir(), 'string-width.mjs');
  const result = await build({
    stdin: { contents: `export { default } from ${JSON.stringify(from)};`, resolveDir: ROOT },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    metafile: true,
    plugins: [stringWidthFastPath(reviewed)],
    logLevel: 'silent',
  });
  writeFileSync(out, result.outputFiles[0]!.text);
  const { default: stringWidth } = (await import(pathToFileURL(out).href)) as { default: typeof original };
  return {
    stringWidth,
    inputs: Object.keys(result.metafile.inputs).map((input) => path.resolve(ROOT, input)),
    warnings: result.warnings.map((w) => w.text),
  };
}

/** Every code point the fast path takes, from its own pattern. */
function simpleCodePoints(): number[] {
  const ranges = [...SIMPLE_TEXT.source.matchAll(/\\u([0-9A-F]{4})-\\u([0-9A-F]{4})/g)].map(
    (m) => [parseInt(m[1]!, 16), parseInt(m[2]!, 16)] as const,
  );
  expect(ranges.length).toBeGreaterThan(5);
  return ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

describe("src/patches/string-width.ts, the bundle's string-width", () => {
  it('measures every code point it takes as the original does', () => {
    const codePoints = simpleCodePoints();
    expect(codePoints.length).toBe(2357);
    const differ: string[] = [];
    for (const ambiguousIsNarrow of [true, false]) {
      for (const cp of codePoints) {
        const text = String.fromCodePoint(cp);
        if (!SIMPLE_TEXT.test(text)) differ.push(`U+${cp.toString(16).toUpperCase()} not taken`);
        else if (patched(text, { ambiguousIsNarrow }) !== original(text, { ambiguousIsNarrow }))
          differ.push(`U+${cp.toString(16).toUpperCase()}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('measures mixed strings as the original does, including those it leaves to the original', () => {
    const samples = [
      '',
      'ngrok-fusionauth · protect a local site',
      '❯ 1. Before You Start',
      '✔ python 3.11.7 — ok…',
      '⠋ Checking what already holds…',
      '○ ✘ – ℹ ⚠ │ ├─ ▶ ← → ↑ ↓ ⌘ ⏎ ⌚',
      'café',
      'e\u0301',
      '✔\uFE0F',
      '✅ done',
      '👍🏽',
      '漢字',
      'ｱｲｳ',
      '한국어',
      '🇫🇷',
      'a\u200Db',
      '\u00AD',
      '\t',
      '\u001B[31mred\u001B[39m ✔',
      '\u009B31m✔',
    ];
    for (const text of samples) {
      for (const ambiguousIsNarrow of [true, false])
        expect(patched(text, { ambiguousIsNarrow }), JSON.stringify(text)).toBe(original(text, { ambiguousIsNarrow }));
    }
    expect(patched('\u001B[31m✔\u001B[39m', { countAnsiEscapeCodes: true })).toBe(
      original('\u001B[31m✔\u001B[39m', { countAnsiEscapeCodes: true }),
    );
  });
});

describe("the build's alias to it (scripts/build-plugins.mjs)", () => {
  it("on the reviewed version, the bundle's string-width is the patch, in front of the original", async () => {
    const { stringWidth, inputs, warnings } = await bundled();
    expect(warnings).toEqual([]);
    expect(inputs).toContain(STRING_WIDTH_PATCH);
    expect(inputs).toContain(path.join(ROOT, 'node_modules/string-width/index.js'));
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      expect(stringWidth('❯ ✔ · … ⠋')).toBe(9);
      expect(segment).not.toHaveBeenCalled();
      expect(stringWidth('e\u0301')).toBe(1);
      expect(segment).toHaveBeenCalledTimes(1);
    } finally {
      segment.mockRestore();
    }
  });

  it('on any other version, warns and bundles the original alone', async () => {
    expect(REVIEWED['string-width']).not.toContain('0.0.0-unreviewed');
    const { stringWidth, inputs, warnings } = await bundled(['0.0.0-unreviewed']);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^string-width-fast-path: not applied, string-width is \S+ and the patch was reviewed on 0\.0\.0-unreviewed\..*review scripts\/build-plugins\.mjs/,
      ),
    ]);
    expect(inputs).not.toContain(STRING_WIDTH_PATCH);
    expect(stringWidth('❯ ✔')).toBe(3);
  });

  it('a dependency with a string-width of its own keeps it', async () => {
    // A package whose own node_modules holds another string-width (as yargs has 4.x under qrcode).
    const folder = path.join(tempDir(), 'node_modules/measures-itself');
    const own = path.join(folder, 'node_modules/string-width');
    mkdirSync(own, { recursive: true });
    writeFileSync(
      path.join(folder, 'package.json'),
      JSON.stringify({ name: 'measures-itself', version: '1.0.0', type: 'module', exports: './index.js' }),
    );
    writeFileSync(path.join(folder, 'index.js'), "export { default } from 'string-width';\n");
    writeFileSync(
      path.join(own, 'package.json'),
      JSON.stringify({ name: 'string-width', version: '4.2.3', type: 'module', exports: './index.js' }),
    );
    writeFileSync(path.join(own, 'index.js'), 'export default () => 42;\n');
    const { stringWidth, inputs, warnings } = await bundled(undefined, path.join(folder, 'index.js'));
    expect(warnings).toEqual([]);
    expect(inputs).not.toContain(STRING_WIDTH_PATCH);
    expect(inputs).toContain(path.join(own, 'index.js'));
    expect(stringWidth('❯')).toBe(42);
  });
});
