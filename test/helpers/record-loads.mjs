// Preloaded with `node --import` by test/commands/startup-loads.test.ts: appends the path of every
// file of dist/ the CLI loads to $RECORD_LOADS, as it loads it.
import module from 'node:module';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = process.env.RECORD_LOADS;
module.registerHooks({
  load(url, context, next) {
    if (out && url.startsWith('file:') && url.includes('/dist/')) appendFileSync(out, `${fileURLToPath(url)}\n`);
    return next(url, context);
  },
});
