// `reset`: forget local state only. Remote objects stay; `destroy` is the command that removes them.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { POLICY_FILE_NAME } from '../steps/ngrok';
import type { GlobalOptions } from '../cli';
import { openStore } from './open-store';

export async function resetCommand(globals: GlobalOptions): Promise<number> {
  const store = openStore(globals);
  const created = Object.values(store.created).filter(Boolean).length;
  store.clear();
  rmSync(path.join(store.dir, POLICY_FILE_NAME), { force: true });
  process.stdout.write(`Forgot the local settings in ${store.path}.\n`);
  if (created) process.stdout.write(`${created} object(s) created in FusionAuth/ngrok were left as they are (\`destroy\` removes them).\n`);
  return 0;
}
