// `reset`: forget local state only. Remote objects stay; `destroy` is the command that removes them.
import type { GlobalOptions } from './global-options';
import { plannedRemovals } from '../core/destroy';
import { openStore } from './open-store';

export async function resetCommand(globals: GlobalOptions): Promise<number> {
  const store = openStore(globals);
  const created = plannedRemovals(store.created).length;
  store.clear();
  process.stdout.write(`Forgot the local settings in ${store.path}.\n`);
  if (created) process.stdout.write(`${created} object(s) created in FusionAuth/ngrok were left as they are (\`destroy\` removes them).\n`);
  return 0;
}
