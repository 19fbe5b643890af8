// `export --format ngrok-yml|policy|systemd`: print what another machine needs. Loads no Ink.
// The agent config goes to stdout as it is; whether this machine's agent accepts it goes to stderr.
import { ngrokBin } from '../core/agent';
import type { ExportFormat } from '../core/constants';
import { findingLines } from '../core/text';
import { exportAs, exportCheck } from '../core/ngrok';
import type { GlobalOptions } from './global-options';
import { openStore } from './open-store';

export async function exportCommand(globals: GlobalOptions, options: { format: ExportFormat }): Promise<number> {
  const store = openStore(globals);
  const text = exportAs(options.format, store.values);
  process.stdout.write(text);
  if (options.format === 'ngrok-yml') {
    // Our own keys never reach `ngrok config check`: every child's environment is core/process's
    // allow-list (childEnv, needs 'agent'), which drops PRIVATE_ENV.
    process.stderr.write(
      `${findingLines(await exportCheck(text, store.values, { bin: ngrokBin(process.env), env: process.env }))}\n`,
    );
  }
  return 0;
}
