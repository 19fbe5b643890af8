// `export --format ngrok-yml|policy|systemd`: print what another machine needs. Loads no Ink.
import type { ExportFormat } from '../core/constants';
import { exportAs } from '../core/ngrok';
import type { GlobalOptions } from './global-options';
import { openStore } from './open-store';

export async function exportCommand(globals: GlobalOptions, options: { format: ExportFormat }): Promise<number> {
  const store = openStore(globals);
  process.stdout.write(exportAs(options.format, store.values));
  return 0;
}
