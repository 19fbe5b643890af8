// Bundles src/ into dist/: one small entry (cli.js) plus lazily loaded chunks, so that `--version`,
// `--help` and `status` never load Ink or React (see docs/ARCHITECTURE.md, "Performance").
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { confWithoutUnusedFeatures, stringWidthFastPath, yogaWithoutFetch } from './build-plugins.mjs';
import { bundleOptions, requireOnlyWhereUsed } from './build-options.mjs';
import { compileStoreSchema } from './compile-store-schema.mjs';

/** Where the build leaves its metafile (which source went into which chunk), for the startup tests. */
const METAFILE = new URL('../node_modules/.cache/ngrok-fusionauth-build/meta.json', import.meta.url);

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await compileStoreSchema();

/**
 * Sources bundled into a dist file of their own, which every other output imports instead of
 * carrying a copy:
 * - `status` is the one command scripts call in a loop: dist/status.js is one file to load instead
 *   of the six small shared chunks the split build would make of it (~6 ms).
 * - errors.ts, so that the CLI has one UserError class: cli.js tells a UserError (reported in one
 *   line) from a bug by `instanceof`, also when status.js threw it.
 * All outputs sit side by side in dist/, so one relative path serves them all.
 */
const OWN_FILES = { 'src/commands/status.ts': './status.js', 'src/core/errors.ts': './errors.js' };

const ownFiles = {
  name: 'own-files',
  setup(b) {
    const sources = new Map(
      Object.entries(OWN_FILES).map(([source, file]) => [path.resolve(source).replace(/\.ts$/, ''), file]),
    );
    const names = [...new Set([...sources.keys()].map((source) => path.basename(source)))];
    b.onResolve({ filter: new RegExp(`^\\.\\.?/(.*/)?(${names.join('|')})(\\.ts)?$`) }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const file = sources.get(path.resolve(args.resolveDir, args.path).replace(/\.ts$/, ''));
      return file ? { path: file, external: true } : undefined;
    });
  },
};

const own = await build({
  ...bundleOptions,
  entryPoints: { status: 'src/commands/status.ts', errors: 'src/core/errors.ts' },
  outdir: 'dist',
  plugins: [ownFiles, requireOnlyWhereUsed()],
});

const main = await build({
  ...bundleOptions,
  entryPoints: {
    cli: 'src/cli.ts',
    // The agent stand-in: an executable of its own (NGROK_BIN points at a wrapper that runs it).
    ...(existsSync('src/sandbox/agent/main.ts') ? { 'sandbox-agent': 'src/sandbox/agent/main.ts' } : {}),
  },
  outdir: 'dist',
  splitting: true,
  // Big libraries loaded only where they serve (the API clients once a step calls its service)
  // stay in node_modules. oidc-provider does not: every sandbox start loaded its ~230 files (with
  // jose's) one by one, ~35 ms of CPU per start; bundled, they are one chunk, loaded lazily as before.
  // That chunk holds its own copy of jose, and openid-client loads jose from node_modules beside it:
  // two copies in a sandbox process. Sharing one ('jose' external) measured no difference (setup
  // --sandbox --no-input, medians of 15: 1188 vs 1192 ms CPU), so the bundle keeps its own. The
  // bundled packages stay in `dependencies` so their LICENSE files install with ours.
  external: ['openid-client', '@fusionauth/typescript-client', '@ngrok/ngrok-api', 'react-devtools-core'],
  plugins: [ownFiles, confWithoutUnusedFeatures(), yogaWithoutFetch(), stringWidthFastPath(), requireOnlyWhereUsed()],
});
mkdirSync(new URL('.', METAFILE), { recursive: true });
writeFileSync(METAFILE, JSON.stringify({ outputs: { ...own.metafile.outputs, ...main.metafile.outputs } }));
