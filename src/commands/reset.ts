// `reset`: forget local state only. Remote objects stay; `destroy` is the command that removes them,
// so what it needs stays recorded (the setup id, the objects, where they live: Store.clear).
// Run by the lifecycle root (lifecycle.ts): not while another command uses the store (exit 1, naming
// it), and what an earlier run killed with SIGKILL left running is stopped first.
import { plannedRemovals } from '../core/destroy';
import { ExitCode } from '../core/errors';
import type { GlobalOptions } from './global-options';
import { runCommand } from './lifecycle';

export async function resetCommand(globals: GlobalOptions): Promise<number> {
  return runCommand(globals, {
    command: 'reset',
    whenBusy: 'fail',
    // Forgetting needs no stand-in running, even on a sandbox store.
    sandbox: false,
    options: {},
    async run({ store }) {
      const created = plannedRemovals(store.created).length;
      store.clear({ keepOwnership: true });
      process.stdout.write(`Forgot the local settings in ${store.path}.\n`);
      if (created)
        process.stdout.write(
          `${created} object(s) created in FusionAuth/ngrok were left as they are; they stay recorded as this setup's, so \`destroy\` still removes them.\n`,
        );
      return ExitCode.ok;
    },
  });
}
