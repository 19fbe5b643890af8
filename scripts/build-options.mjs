// The esbuild options shared by the shipped bundle (scripts/build.mjs) and the startup benchmark's
// reference app, so that the benchmark compares like with like.
import { readFileSync, writeFileSync } from 'node:fs';

/** The first line of every output: a `require` for the CommonJS code bundled into ES modules. */
export const REQUIRE_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * An esbuild plugin (for a build that writes its files) that empties the banner's line in every
 * output that never names `require` elsewhere: creating a require function is a URL parse and a
 * Module object per file, paid once for every chunk the wizard loads before its first frame. The line
 * stays, empty, so that the source maps still line up. Any other mention of the word (a string, a
 * property) keeps the banner: the test is on text, and errs on the side of keeping it.
 */
export function requireOnlyWhereUsed() {
  return {
    name: 'require-only-where-used',
    setup(build) {
      build.onEnd((result) => {
        for (const file of Object.keys(result.metafile?.outputs ?? {})) {
          if (!file.endsWith('.js')) continue;
          const text = readFileSync(file, 'utf8');
          if (!text.startsWith(REQUIRE_BANNER)) continue;
          const rest = text.slice(REQUIRE_BANNER.length);
          if (!/\brequire\b/.test(rest)) writeFileSync(file, rest);
        }
      });
    },
  };
}

/** How every bundle is built (the shipped CLI, and the startup benchmark's bare Ink reference). */
export const bundleOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Node 22 has the RegExp v flag, but esbuild's table says no and would lower every /…/v literal to
  // `new RegExp(…, 'v')`, which V8 compiles at once instead of on first use: string-width's emoji
  // pattern alone then costs ~12 ms at startup.
  supported: { 'regexp-set-notation': true },
  sourcemap: 'linked',
  minify: true,
  keepNames: true,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies bundled into ESM still call require(). Only a few outputs do (esbuild's
  // runtime chunk, which holds its `__require`): `requireOnlyWhereUsed` takes the line out of the rest.
  banner: { js: REQUIRE_BANNER },
  metafile: true,
  logLevel: 'warning',
};
