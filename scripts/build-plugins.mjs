// esbuild plugins for the shipped bundle: each takes startup time out of a dependency, for code we
// never run. Each is written against one reviewed version of its dependency (REVIEWED) and fails
// open: on any other version, or a source that no longer looks as reviewed, the build prints a
// warning and bundles the dependency as it is. The build runs in `prepare`, so a failing patch would
// fail `npm install`; a skipped one only costs startup time, and test/build/patches.test.ts and
// test/commands/startup-loads.test.ts fail until the patch is reviewed for the new version.
// docs/DEPENDENCY-DEFECTS.md lists every patched or wrapped dependency with its pinning test.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The version of each patched dependency its patch below was reviewed against. */
export const REVIEWED = {
  conf: ['16.0.0'],
  'yoga-layout': ['3.2.1'],
  'string-width': ['8.3.0'],
};

/** The `version` in the package.json of the copy of `name` that holds `file` (a path in its node_modules folder). */
export function installedVersion(name, file) {
  const folder = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  const at = file.lastIndexOf(folder);
  if (at === -1) return undefined;
  return JSON.parse(readFileSync(path.join(file.slice(0, at + folder.length), 'package.json'), 'utf8')).version;
}

/** The warning that skips `patch`, as esbuild prints it (and lists it in the build result's `warnings`). */
function skipped(patch, why, cost) {
  return {
    text: `${patch}: not applied, ${why}. The bundle works without it but ${cost}; review scripts/build-plugins.mjs.`,
  };
}

/** The skip warning when the copy of `name` holding `file` is not a reviewed version, else undefined. */
function unreviewed(patch, name, file, reviewed, cost) {
  const version = installedVersion(name, file);
  return reviewed.includes(version)
    ? undefined
    : skipped(
        patch,
        `${name} is ${version ?? 'of unknown version'} and the patch was reviewed on ${reviewed.join(', ')}`,
        cost,
      );
}

const thrower = (what) =>
  `() => { throw new Error('${what}, which the bundle leaves out (scripts/build-plugins.mjs)'); }`;

/**
 * conf imports ajv (schema validation), semver (migrations) and node:crypto (encryption) as it loads,
 * ~25 ms of every start, though we use none of the three: the store validates with the schema
 * compiled at build time (src/core/store/file.ts) and has no migrations or encryption key. In the
 * bundle conf gets stand-ins that throw if it ever reaches for them.
 */
export function confWithoutUnusedFeatures(reviewed = REVIEWED.conf) {
  const stubs = {
    'ajv/dist/2020.js': `export class Ajv2020 { constructor() { (${thrower('conf compiled a schema with ajv')})(); } }`,
    'ajv-formats': `export default { default: ${thrower('conf used ajv-formats')} };`,
    semver: `export default new Proxy({}, { get: () => ${thrower('conf ran a migration with semver')} });`,
    'node:crypto': `export default new Proxy({}, { get: () => ${thrower('conf encrypted with node:crypto')} });`,
  };
  const name = 'conf-without-unused-features';
  return {
    name,
    setup(build) {
      let warned = false;
      build.onStart(() => {
        warned = false;
      });
      build.onResolve({ filter: /^(ajv\/dist\/2020\.js|ajv-formats|semver|node:crypto)$/ }, (args) => {
        if (!/[\\/]node_modules[\\/]conf[\\/]/.test(args.importer)) return undefined;
        const warning = unreviewed(
          name,
          'conf',
          args.importer,
          reviewed,
          'every start loads ajv, semver and node:crypto (~25 ms)',
        );
        if (!warning) return { path: args.path, namespace: 'left-out-of-conf' };
        if (warned) return undefined;
        warned = true;
        return { warnings: [warning] };
      });
      build.onLoad({ filter: /.*/, namespace: 'left-out-of-conf' }, (args) => ({
        contents: stubs[args.path],
        loader: 'js',
      }));
    },
  };
}

/** The check yoga's loader makes before it fetches its own data: URL, twice in the reviewed version. */
const YOGA_FETCH_CHECK = '"function"!=typeof fetch';

/**
 * Yoga (Ink's layout engine) carries its WebAssembly as base64 in a data: URL and, when a global
 * `fetch` exists, "downloads" it with fetch, which makes Node load and compile its HTTP client
 * (undici) before the first frame. Without fetch it decodes the same bytes at once, as it does on
 * Node versions without fetch: the check is replaced by `true`.
 */
export function yogaWithoutFetch(reviewed = REVIEWED['yoga-layout']) {
  const name = 'yoga-without-fetch';
  return {
    name,
    setup(build) {
      build.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
        const cost = 'the first frame waits for Node to load its HTTP client (undici)';
        const warning = unreviewed(name, 'yoga-layout', args.path, reviewed, cost);
        if (warning) return { warnings: [warning] };
        const source = await readFile(args.path, 'utf8');
        const count = source.split(YOGA_FETCH_CHECK).length - 1;
        if (count !== 2)
          return {
            warnings: [skipped(name, `${args.path} has ${count} fetch checks where the reviewed version has 2`, cost)],
          };
        return { contents: source.replaceAll(YOGA_FETCH_CHECK, 'true'), loader: 'js' };
      });
    },
  };
}

/** Our own string-width (src/patches/string-width.ts): a fast path, then the original. */
export const STRING_WIDTH_PATCH = fileURLToPath(new URL('../src/patches/string-width.ts', import.meta.url));

/**
 * string-width sends any text that is not plain ASCII through Intl.Segmenter and an emoji pattern
 * that V8 takes ~12 ms to compile, on the first frame, for a `·` or a `✔`. The bundle aliases
 * `string-width` to an owned module that measures the common case itself and calls the original for
 * the rest (as Gemini CLI's esbuild.config.js aliases `is-in-ci` to packages/cli/src/patches/is-in-ci.ts).
 * The alias would also catch the patch's own import of the original: that one import is resolved here
 * to the copy the patch was reviewed against, as is the import of any dependency that has a copy of
 * its own (another major version, which the patch does not measure like).
 */
export function stringWidthFastPath(reviewed = REVIEWED['string-width']) {
  const name = 'string-width-fast-path';
  return {
    name,
    setup(build) {
      const cost = "the first frame compiles string-width's emoji pattern (~12 ms)";
      const original = createRequire(import.meta.url).resolve('string-width');
      // The patch measures with get-east-asian-width, as the original does: it must be the same copy.
      const measurer = resolveFrom(original, 'get-east-asian-width');
      const warning =
        unreviewed(name, 'string-width', original, reviewed, cost) ??
        (measurer !== undefined && measurer === resolveFrom(STRING_WIDTH_PATCH, 'get-east-asian-width')
          ? undefined
          : skipped(name, 'src/patches/ does not see the get-east-asian-width that string-width measures with', cost));
      if (warning) {
        build.onStart(() => ({ warnings: [warning] }));
        return;
      }
      build.initialOptions.alias = { ...build.initialOptions.alias, 'string-width': STRING_WIDTH_PATCH };
      build.onResolve({ filter: /^string-width$/ }, (args) => {
        if (args.importer === STRING_WIDTH_PATCH) return { path: original };
        const own = resolveFrom(args.importer, 'string-width');
        return own === undefined || own === original ? undefined : { path: own };
      });
    },
  };
}

/** The file `name` resolves to when imported from `file` without the alias, if Node can say (not from `<stdin>`). */
function resolveFrom(file, name) {
  try {
    return createRequire(file).resolve(name);
  } catch {
    return undefined;
  }
}
