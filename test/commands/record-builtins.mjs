// Preloaded with `node --import` by startup-loads.test.ts: when $RECORD_BUILTINS_AT first reaches
// stdout (the wizard's first frame), writes the modules of Node itself loaded by then
// (process.moduleLoadList: `NativeModule crypto`, `Internal Binding fs`, …) to $RECORD_BUILTINS, one a
// line. The load hook of test/helpers/record-loads.mjs sees only files; Node's own modules never pass
// through it.
import { writeFileSync } from 'node:fs';

const out = process.env.RECORD_BUILTINS;
const at = process.env.RECORD_BUILTINS_AT;
let recorded = false;
if (out && at) {
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    if (!recorded && String(chunk).includes(at)) {
      recorded = true;
      writeFileSync(out, `${process.moduleLoadList.join('\n')}\n`);
    }
    return write.call(this, chunk, ...rest);
  };
}
