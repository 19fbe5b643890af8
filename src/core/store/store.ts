// The conf store: every value the guide has the user copy into a text file, the ids of everything
// this tool created, and each step's state. One JSON file, 0600, in a 0700 folder, written atomically
// by conf. A file that is not valid (hand-edited, truncated) is moved aside with a clear message, never
// silently reset (store-file.ts).
//
// Reads go through store-file.ts and writes through conf; the schema (store-schema.ts) is enforced on
// both, with the validator ajv compiled at build time: handing conf the schema would make it compile
// it with ajv on every start, ~85 ms that the startup targets (issue 6/6) cannot spare.
import type Conf from 'conf';
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AGENT_LOG_FILE, POLICY_FILE_NAME, type StepId } from '../constants';
import { makeFolder } from '../files';
import { checkedStoreData, configFile, defaultConfigDir, readStoreFile } from './file';
import type { Created, StepRecord, StepStatus, StoreData, Values } from './schema';

export { NGROK_MODES, STEP_IDS, type NgrokMode, type StepId } from '../constants';
export type { Created, StepRecord, StepStatus, StoreData, Values } from './schema';
export { CONFIG_FILE_NAME, StoreCorruptError, defaultConfigDir } from './file';

/** A shallow merge in which `undefined` deletes the key (JSON has no undefined). */
function merged<T extends object>(current: T, partial: Partial<T>): T {
  const next = { ...current } as Record<string, unknown>;
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next as T;
}

/**
 * conf, evaluated on the first write rather than when the store opens: the wizard draws its first
 * frame from reads alone. In the bundle this require is esbuild's lazy initializer of the bundled conf;
 * under vitest, Node's require of the ES module.
 */
let confClass: typeof Conf | undefined;
const loadConf = (): typeof Conf => (confClass ??= (require('conf') as { default: typeof Conf }).default);

export class Store {
  private writer: Conf<StoreData> | undefined;

  private constructor(readonly dir: string) {}

  /** Opens (creating if needed) the store in `dir`. Throws StoreCorruptError for a damaged file. */
  static open(dir: string = defaultConfigDir()): Store {
    const resolved = path.resolve(dir);
    makeFolder(resolved, { what: 'the config folder', mode: 0o700, hint: 'Pick another --config-dir (or NGROK_FUSIONAUTH_CONFIG_DIR), a folder on a normal disk that you can write to.' });
    chmodSync(resolved, 0o700);
    readStoreFile(resolved);
    return new Store(resolved);
  }

  /** The file as it is now, checked against the schema (a file damaged meanwhile is moved aside). */
  private read(): StoreData {
    return readStoreFile(this.dir);
  }

  private get conf(): Conf<StoreData> {
    this.writer ??= new (loadConf())<StoreData>({
      cwd: this.dir,
      configName: 'config',
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      defaults: { values: {}, created: {}, steps: {} },
      // A file changed from outside while we run, or a write of ours off the schema, throws here.
      deserialize: (text) => checkedStoreData(JSON.parse(text.replace(/^\uFEFF/, ''))),
      serialize: (data) => JSON.stringify(checkedStoreData(data), undefined, '\t'),
    });
    return this.writer;
  }

  get path(): string {
    return configFile(this.dir);
  }

  get values(): Values {
    return this.read().values;
  }

  /** Merges values; `undefined` removes a key. */
  setValues(partial: Partial<Values>): void {
    this.conf.set('values', merged(this.values, partial));
  }

  get created(): Created {
    return this.read().created;
  }

  /** Merges ids; `undefined` removes one (deleted remotely). */
  setCreated(partial: Partial<Created>): void {
    this.conf.set('created', merged(this.created, partial));
  }

  step(id: StepId): StepRecord | undefined {
    return this.read().steps[id];
  }

  get steps(): Partial<Record<StepId, StepRecord>> {
    return this.read().steps;
  }

  setStep(id: StepId, status: StepStatus, message?: string): void {
    const record: StepRecord = { status, updatedAt: new Date().toISOString(), ...(message ? { message } : {}) };
    this.conf.set('steps', { ...this.steps, [id]: record });
  }

  /** Forgets the progress of every step; keeps the values, which become the defaults of each screen. */
  clearSteps(): void {
    this.conf.set('steps', {});
  }

  /**
   * Forgets everything local: the settings, and the files kept beside them (the traffic policy, the
   * agent's log). The sandbox's own state (`sandbox/`) stays: it is the sandbox's "remote" world.
   */
  clear(): void {
    this.conf.clear();
    for (const file of [POLICY_FILE_NAME, AGENT_LOG_FILE, `${AGENT_LOG_FILE}.1`]) rmSync(path.join(this.dir, file), { force: true });
  }

  snapshot(): StoreData {
    return { values: this.values, created: this.created, steps: this.steps };
  }
}
