// Bundles src/ into dist/: one small entry (cli.js) plus lazily loaded chunks, so that `--version`,
// `--help` and `status` never load Ink or React (see docs/ARCHITECTURE.md, "Performance").
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { confWithoutUnusedFeatures, stringWidthFastPath, yogaWithoutFetch } from './build-plugins.mjs';
import { bundleOptions } from './build-options.mjs';
import { compileStoreSchema } from './compile-store-schema.mjs';

/** Where the build leaves its metafile (which source went into which chunk), for the startup tests. */
const METAFILE = new URL('../node_modules/.cache/ngrok-fusionauth-build/meta.json', import.meta.url);

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await compileStoreSchema();

/**
 * `status` is the one command scripts call in a loop: it is bundled on its own into dist/status.js,
 * one file to load instead of the six small shared chunks the split build would make of it (~6 ms).
 * In the main build, cli.ts and program.ts import that file instead of src/commands/status.ts.
 */
const STATUS_BUNDLE = './status.js';
const statusStandalone = {
  name: 'status-standalone',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/status$/ }, () => ({ path: STATUS_BUNDLE, external: true }));
  },
};

const status = await build({ ...bundleOptions, entryPoints: { status: 'src/commands/status.ts' }, outdir: 'dist' });

const main = await build({
  ...bundleOptions,
  entryPoints: {
    cli: 'src/cli.ts',
    // The agent stand-in: an executable of its own (NGROK_BIN points at a wrapper that runs it).
    ...(existsSync('src/sandbox/agent/main.ts') ? { 'sandbox-agent': 'src/sandbox/agent/main.ts' } : {}),
  },
  outdir: 'dist',
  splitting: true,
  // Server-side libraries of the sandbox stay in node_modules: big, and only loaded by `sandbox`.
  external: ['oidc-provider', 'openid-client', '@fusionauth/typescript-client', '@ngrok/ngrok-api', 'react-devtools-core'],
  plugins: [statusStandalone, confWithoutUnusedFeatures, yogaWithoutFetch, stringWidthFastPath],
});
mkdirSync(new URL('.', METAFILE), { recursive: true });
writeFileSync(METAFILE, JSON.stringify({ outputs: { ...status.metafile.outputs, ...main.metafile.outputs } }));
