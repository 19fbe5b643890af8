// esbuild plugins for the shipped bundle: each takes startup time out of a dependency, for code we
// never run.
import { readFile } from 'node:fs/promises';

const thrower = (what) => `() => { throw new Error('${what}, which the bundle leaves out (scripts/build-plugins.mjs)'); }`;

/**
 * conf imports ajv (schema validation), semver (migrations) and node:crypto (encryption) as it loads,
 * ~25 ms of every start, though we use none of the three: the store validates with the schema
 * compiled at build time (src/core/store/store.ts) and has no migrations or encryption key. In the bundle
 * conf gets stand-ins that throw if it ever reaches for them.
 */
export const confWithoutUnusedFeatures = {
  name: 'conf-without-unused-features',
  setup(build) {
    const stubs = {
      'ajv/dist/2020.js': `export class Ajv2020 { constructor() { (${thrower('conf compiled a schema with ajv')})(); } }`,
      'ajv-formats': `export default { default: ${thrower('conf used ajv-formats')} };`,
      semver: `export default new Proxy({}, { get: () => ${thrower('conf ran a migration with semver')} });`,
      'node:crypto': `export default new Proxy({}, { get: () => ${thrower('conf encrypted with node:crypto')} });`,
    };
    build.onResolve({ filter: /^(ajv\/dist\/2020\.js|ajv-formats|semver|node:crypto)$/ }, (args) =>
      /[\\/]node_modules[\\/]conf[\\/]/.test(args.importer) ? { path: args.path, namespace: 'left-out-of-conf' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'left-out-of-conf' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
  },
};

/**
 * Yoga (Ink's layout engine) carries its WebAssembly as base64 in a data: URL and, when a global
 * `fetch` exists, "downloads" it with fetch, which makes Node load and compile its HTTP client
 * (undici) before the first frame. Without fetch it decodes the same bytes at once, as it does on
 * Node versions without fetch. The replacement is checked, so a yoga update fails the build instead of
 * silently shipping the slow path.
 */
export const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const test = '"function"!=typeof fetch';
      const count = source.split(test).length - 1;
      if (count !== 2) throw new Error(`yoga-without-fetch: expected 2 fetch checks in ${args.path}, found ${count}; review the plugin`);
      return { contents: source.replaceAll(test, 'true'), loader: 'js' };
    });
  },
};

/** Code points that string-width measures as one grapheme each, by their East Asian Width alone. */
export const SIMPLE_TEXT = String.raw`^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u23FF\u2500-\u27BF\u2800-\u28FF]*$`;

/**
 * string-width sends any text that is not plain ASCII through Intl.Segmenter and an emoji pattern
 * (`\p{RGI_Emoji}`) that V8 takes ~12 ms to compile, on the first frame, for a `·` or a `✔`. Latin
 * letters, punctuation, arrows, box drawing, shapes, dingbats and braille (the spinner) are one
 * grapheme per code point with their East Asian Width as width, which is what string-width computes
 * for them the long way: this adds that as a second fast path. test/build/string-width.test.ts
 * compares every code point of SIMPLE_TEXT with the original.
 */
export const stringWidthFastPath = {
  name: 'string-width-fast-path',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const anchor = '\tlet width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};\n';
      if (source.split(anchor).length !== 2) throw new Error(`string-width-fast-path: the anchor is not in ${args.path} exactly once; review the plugin`);
      const fastPath = `${anchor}\tif (/${SIMPLE_TEXT}/.test(string)) {\n\t\tfor (const character of string) width += eastAsianWidth(character.codePointAt(0), eastAsianWidthOptions);\n\t\treturn width;\n\t}\n`;
      return { contents: source.replace(anchor, fastPath), loader: 'js' };
    });
  },
};
