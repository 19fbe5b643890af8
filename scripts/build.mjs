// Bundles src/ into dist/: one small entry (cli.js) plus lazily loaded chunks, so that `--version`,
// `--help` and `status` never load Ink or React (see ARCHITECTURE.md, "Performance").
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { confWithoutUnusedFeatures } from './build-plugins.mjs';
import { compileStoreSchema } from './compile-store-schema.mjs';

/** Where the build leaves its metafile (which source went into which chunk), for the startup tests. */
const METAFILE = new URL('../node_modules/.cache/ngrok-fusionauth-build/meta.json', import.meta.url);

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await compileStoreSchema();

const result = await build({
  entryPoints: {
    cli: 'src/cli.ts',
    // The agent stand-in: an executable of its own (NGROK_BIN points at a wrapper that runs it).
    ...(existsSync('src/sandbox/agent/main.ts') ? { 'sandbox-agent': 'src/sandbox/agent/main.ts' } : {}),
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  minify: !process.env.NO_MINIFY,
  keepNames: true,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Server-side libraries of the sandbox stay in node_modules: big, and only loaded by `sandbox`.
  external: ['oidc-provider', 'openid-client', '@fusionauth/typescript-client', '@ngrok/ngrok-api', 'react-devtools-core'],
  plugins: [confWithoutUnusedFeatures],
  // CommonJS dependencies bundled into ESM still call require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
mkdirSync(new URL('.', METAFILE), { recursive: true });
writeFileSync(METAFILE, JSON.stringify(result.metafile));
