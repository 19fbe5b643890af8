import { Store } from '../core/store';
import { configDirOf } from '../core/store-file';
import type { GlobalOptions } from '../cli';

export function openStore(globals: GlobalOptions): Store {
  return Store.open(configDirOf(globals.configDir));
}
