// The esbuild options shared by the shipped bundle (scripts/build.mjs) and the startup benchmark's
// reference app, so that the benchmark compares like with like.
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
  // CommonJS dependencies bundled into ESM still call require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
};
