// Preloaded with `node --import` by test/commands/startup-loads.test.ts: appends the path of every
// file of dist/ and node_modules/ the CLI loads to $RECORD_LOADS, as it loads it. With
// $RECORD_FIRST_FRAME set to a text, it also writes a line `=== first frame` when that text is first
// written to stdout (what was loaded by then is above it), and before it `=== string-width segmented`
// if string-width took its slow path until then: Intl.Segmenter called from string-width's own source
// (the caller's place in dist/ looked up in the build's source map), not from Ink's ansi-tokenize,
// which segments every line it draws; and Node's own modules loaded by then, a line
// `=== builtin NativeModule crypto` each (process.moduleLoadList: they never pass through the load hook).
import module, { SourceMap } from 'node:module';
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = process.env.RECORD_LOADS;
module.registerHooks({
  load(url, context, next) {
    if (out && url.startsWith('file:') && /\/(dist|node_modules)\//.test(url))
      appendFileSync(out, `${fileURLToPath(url)}\n`);
    return next(url, context);
  },
});

const frame = process.env.RECORD_FIRST_FRAME;
/** The source file (by the dist file's source map) of the function that called the caller of this one. */
const maps = new Map();
function callerSource() {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, sites) => sites;
  const sites = new Error().stack;
  Error.prepareStackTrace = prepare;
  const site = sites[2];
  const url = site?.getFileName();
  if (!url?.startsWith('file:')) return url;
  const file = fileURLToPath(url);
  if (!maps.has(file)) {
    try {
      maps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))));
    } catch {
      maps.set(file, undefined);
    }
  }
  return maps.get(file)?.findEntry(site.getLineNumber() - 1, site.getColumnNumber() - 1).originalSource ?? file;
}

if (out && frame) {
  let segmented = false;
  const segment = Intl.Segmenter.prototype.segment;
  Intl.Segmenter.prototype.segment = function (...args) {
    if (!segmented) segmented = /[\\/]node_modules[\\/]string-width[\\/]/.test(callerSource() ?? '');
    return segment.apply(this, args);
  };
  let seen = false;
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    if (!seen && String(chunk).includes(frame)) {
      seen = true;
      const builtins = process.moduleLoadList.map((name) => `=== builtin ${name}\n`).join('');
      appendFileSync(out, `${builtins}${segmented ? '=== string-width segmented\n' : ''}=== first frame\n`);
    }
    return write.call(this, chunk, ...rest);
  };
}
