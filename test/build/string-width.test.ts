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

  it('measures coloured text (the SGR codes chalk writes) itself, without Intl.Segmenter', () => {
    // The wizard's first frame: Ink measures a nested <Text color=…> with its colour codes in it.
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      expect(patched('\u001B[36m❯\u001B[39m 1. Before You Start')).toBe(21);
      expect(patched('\u001B[90m○\u001B[39m 2. Set Up The Application')).toBe(27);
      expect(patched('\u001B[1;38;2;255;0;0m✔\u001B[0m \u001B[mok')).toBe(4);
      expect(segment).not.toHaveBeenCalled();
    } finally {
      segment.mockRestore();
    }
  });

  it('measures text with escape sequences as the original does, whichever path it takes', () => {
    const samples = [
      '\u001B[36m❯\u001B[39m 1. Before You Start',
      '\u001B[1;31;4m✔ bold\u001B[22m',
      '\u001B[38;2;255;0;0m✔\u001B[0m',
      '\u001B[m✔',
      '\u001B[36m\u001B[39m',
      '\u001B[12345m✔',
      '\u001B[36m✔\u0007',
      '\u001B]8;;http://127.0.0.1/\u0007link\u001B]8;;\u0007',
      '\u001B]8;;http://127.0.0.1/\u001B\\link\u001B]8;;\u001B\\ ✔',
      '\u001B[?25l✔\u001B[?25h',
      '\u001B[2K\u001B[1A✔',
      '\u001B7✔\u001B8',
      '\u001B(0qqq\u001B(B',
      '\u001B[36m👍🏽\u001B[39m',
      '\u001B[36me\u0301\u001B[39m',
      '\u001B[36m漢字\u001B[39m',
      '\u001B[36m\u009B31m✔',
      '\u009B31m✔\u001B[39m',
      '\u001B[36m\u001B',
      '\u001B[36m[',
      '\u001B[3:4m✔',
      '\u001B[36;m✔',
    ];
    for (const text of samples) {
      for (const options of [{}, { ambiguousIsNarrow: false }, { countAnsiEscapeCodes: true }])
        expect(patched(text, options), `${JSON.stringify(text)} ${JSON.stringify(options)}`).toBe(
          original(text, options),
        );
    }
  });

  it('measures random mixes of colour codes, other sequences and text as the original does', () => {
    // A fixed seed: the same strings on every run, so that a failure can be replayed.
    let seed = 20261205;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = [
      ...['\u001B[', '\u001B]', '\u001B', '\u009B', '\u0007', 'm', ';', '1', '36', '38;5;208', '?25', 'K', '['],
      ...['a', ' ', '❯', '✔', '·', '…', '⠋', '─', 'é', 'e\u0301', '漢', '👍', '\uFE0F', '\u200D', '\t'],
    ];
    const differ: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let length = 1 + next(12); length > 0; length--) text += pieces[next(pieces.length)];
      if (patched(text) !== original(text)) differ.push(JSON.stringify(text));
    }
    expect(differ).toEqual([]);
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
      expect(stringWidth('\u001B[36m❯\u001B[39m 1. Before You Start')).toBe(21);
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
