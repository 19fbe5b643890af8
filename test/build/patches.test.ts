// The dependency patches of scripts/build-plugins.mjs. Each is reviewed against one version of its
// dependency: on that version it must be in the shipped bundle (read from dist/ and the build's
// metafile, as `npm run build` left them); on any other version, or a source that no longer looks as
// reviewed, it must warn and bundle the dependency unpatched, never fail the build (which runs in
// `npm install`). string-width's alias is tested beside its module, in string-width.test.ts. Last,
// esbuild's own defect that scripts/build-options.mjs works around: it lowers /…/v literals.
import { build, type Plugin } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleOptions } from '../../scripts/build-options.mjs';
import {
  REVIEWED,
  STRING_WIDTH_PATCH,
  confWithoutUnusedFeatures,
  installedVersion,
  yogaWithoutFetch,
} from '../../scripts/build-plugins.mjs';
import { ROOT, tempDir } from '../helpers/cli';
import { outputsHolding, shippedOutputs } from './metafile';

const LEFT_OUT_OF_CONF = ['ajv/dist/2020.js', 'ajv-formats', 'semver', 'node:crypto'].map(
  (name) => `left-out-of-conf:${name}`,
);
const YOGA_BASE64 = 'node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js';

/** `contents` bundled (not written) with `plugin`: its code, its inputs and the warnings. */
async function bundle(contents: string, plugin: Plugin) {
  const result = await build({
    stdin: { contents, resolveDir: ROOT },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    metafile: true,
    plugins: [plugin],
    logLevel: 'silent',
  });
  return {
    code: result.outputFiles[0]!.text,
    inputs: Object.keys(result.metafile.inputs),
    warnings: result.warnings.map((w) => w.text),
  };
}

const packageOf = (input: string) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];

describe("the shipped bundle, on today's versions", () => {
  it('has every patch: those versions are the reviewed ones', () => {
    for (const [name, reviewed] of Object.entries(REVIEWED))
      expect(reviewed, name).toContain(installedVersion(name, path.join(ROOT, 'node_modules', name, 'package.json')));
  });

  it('conf gets the stand-ins, and neither ajv nor semver is in dist/', () => {
    for (const stub of LEFT_OUT_OF_CONF) expect(outputsHolding(stub), stub).toHaveLength(1);
    const packages = new Set(shippedOutputs().flatMap((output) => output.inputs.map(packageOf)));
    expect(packages).toContain('conf');
    for (const name of ['ajv', 'ajv-formats', 'semver']) expect(packages, name).not.toContain(name);
  });

  it('yoga decodes its WebAssembly without fetch: no fetch check is left in its chunk', () => {
    const [chunk] = outputsHolding(YOGA_BASE64);
    expect(chunk).toBeDefined();
    const code = readFileSync(path.join(ROOT, chunk!), 'utf8');
    expect(code).toContain('both async and sync fetching of the wasm failed'); // the yoga loader is there
    expect(code).not.toMatch(/typeof fetch/);
  });

  it('string-width is src/patches/string-width.ts, in the chunk of the original it calls', () => {
    const patch = path.relative(ROOT, STRING_WIDTH_PATCH);
    expect(outputsHolding(patch)).toHaveLength(1);
    expect(outputsHolding(patch)).toEqual(outputsHolding('node_modules/string-width/index.js'));
  });
});

describe('conf-without-unused-features', () => {
  it('on the reviewed version, conf gets the four stand-ins', async () => {
    const { inputs, warnings } = await bundle("export { default } from 'conf';", confWithoutUnusedFeatures());
    expect(warnings).toEqual([]);
    expect(inputs).toEqual(expect.arrayContaining(LEFT_OUT_OF_CONF));
    expect(inputs.filter((input) => packageOf(input) === 'ajv')).toEqual([]);
  });

  it('on any other version, warns once and bundles conf as it is', async () => {
    const { inputs, warnings } = await bundle(
      "export { default } from 'conf';",
      confWithoutUnusedFeatures(['0.0.0-unreviewed']),
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^conf-without-unused-features: not applied, conf is \S+ and the patch was reviewed on 0\.0\.0-unreviewed\..*ajv, semver and node:crypto.*review scripts\/build-plugins\.mjs/,
      ),
    ]);
    expect(inputs.filter((input) => input.startsWith('left-out-of-conf:'))).toEqual([]);
    expect(inputs.filter((input) => packageOf(input) === 'ajv').length).toBeGreaterThan(0);
  });
});

describe('yoga-without-fetch', () => {
  it("on the reviewed version, yoga's two fetch checks become `true`", async () => {
    const { code, warnings } = await bundle("export { default } from 'yoga-layout';", yogaWithoutFetch());
    expect(warnings).toEqual([]);
    expect(code).not.toMatch(/typeof fetch/);
  });

  it('on any other version, warns and bundles yoga as it is', async () => {
    const { code, warnings } = await bundle(
      "export { default } from 'yoga-layout';",
      yogaWithoutFetch(['0.0.0-unreviewed']),
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^yoga-without-fetch: not applied, yoga-layout is \S+ and the patch was reviewed on 0\.0\.0-unreviewed\..*undici.*review scripts\/build-plugins\.mjs/,
      ),
    ]);
    expect(code).toMatch(/typeof fetch/);
  });

  it('on the reviewed version with a source that is not as reviewed, warns and bundles it as it is', async () => {
    // A copy of yoga-layout that says it is the reviewed version, with one fetch check instead of two.
    const folder = path.join(tempDir(), 'node_modules/yoga-layout');
    mkdirSync(path.join(folder, 'dist/binaries'), { recursive: true });
    writeFileSync(
      path.join(folder, 'package.json'),
      JSON.stringify({ name: 'yoga-layout', version: REVIEWED['yoga-layout'][0] }),
    );
    const file = path.join(folder, 'dist/binaries/yoga-wasm-base64-esm.js');
    writeFileSync(file, 'export default "function"!=typeof fetch;\n');
    const { code, warnings } = await bundle(`export { default } from ${JSON.stringify(file)};`, yogaWithoutFetch());
    expect(warnings).toEqual([
      expect.stringMatching(
        /^yoga-without-fetch: not applied, .*yoga-wasm-base64-esm\.js has 1 fetch checks where the reviewed version has 2/,
      ),
    ]);
    expect(code).toMatch(/typeof fetch/);
  });
});

/** A /…/v literal lowered by esbuild to a RegExp built as the module loads. */
const LOWERED_V = /new RegExp\([^)]*,\s*"v"\)/;

describe('esbuild and /…/v literals (scripts/build-options.mjs)', () => {
  const stringWidth = (supported: typeof bundleOptions.supported) =>
    build({
      ...bundleOptions,
      supported,
      minify: false,
      metafile: false,
      sourcemap: false,
      banner: {},
      stdin: { contents: "export { default } from 'string-width';", resolveDir: ROOT },
      write: false,
      logLevel: 'silent',
    });

  it('esbuild 0.28 still lowers them for target node22, which has the v flag: the defect the option works around', async () => {
    const { outputFiles } = await stringWidth(undefined);
    expect(outputFiles[0]!.text).toMatch(LOWERED_V);
  });

  it("with the option, string-width's emoji pattern stays a literal (compiled on first use), in the shipped chunk too", async () => {
    const { outputFiles } = await stringWidth(bundleOptions.supported);
    expect(outputFiles[0]!.text).not.toMatch(LOWERED_V);
    expect(outputFiles[0]!.text).toContain('/^\\p{RGI_Emoji}$/v');
    const [chunk] = outputsHolding('node_modules/string-width/index.js');
    const shipped = readFileSync(path.join(ROOT, chunk!), 'utf8');
    expect(shipped).toContain('/^\\p{RGI_Emoji}$/v');
    expect(shipped).not.toMatch(LOWERED_V);
  });
});
