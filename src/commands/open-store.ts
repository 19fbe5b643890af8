import { Store, defaultConfigDir } from '../core/store';
import type { GlobalOptions } from '../cli';

/** `--config-dir` wins over NGROK_FUSIONAUTH_CONFIG_DIR, which wins over ~/.config/ngrok-fusionauth. */
export function openStore(globals: GlobalOptions): Store {
  return Store.open(globals.configDir ?? defaultConfigDir());
}
