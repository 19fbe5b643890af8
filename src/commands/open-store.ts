import { Store } from '../core/store';
import { configDirOf } from '../core/store';
import type { GlobalOptions } from './global-options';

export function openStore(globals: GlobalOptions): Store {
  return Store.open(configDirOf(globals));
}
