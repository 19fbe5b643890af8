// esbuild plugins for the shipped bundle.

const thrower = (what) => `() => { throw new Error('${what}, which the bundle leaves out (scripts/build-plugins.mjs)'); }`;

/**
 * conf imports ajv (schema validation), semver (migrations) and node:crypto (encryption) as it loads,
 * ~25 ms of every start, though we use none of the three: the store validates with the schema
 * compiled at build time (src/core/store.ts) and has no migrations or encryption key. In the bundle
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
