// The conf store: every value the guide has the user copy into a text file, the ids of everything
// this tool created, and each step's state. One JSON file, 0600, written atomically by conf. A file
// that is not valid (hand-edited, truncated) is moved aside with a clear message, never silently reset
// (file.ts); a link or a folder in its place is refused (private-files.ts).
//
// The folder is the user's until this tool makes it: `open` checks it (a folder others may write in is
// refused: core/files/private-folder.ts) and changes nothing, so a command that fails leaves no folder
// and no mode changed behind. The first write makes a missing folder, 0700. The files kept beside the
// settings (the agent's log, the traffic policy) are recorded in `created.localFiles` when this tool
// makes them (`ownFile`), and only those are tightened, and deleted by `clear`: a file of the same name
// that was there before is the user's.
//
// Read once, written through: `open` reads and checks the file, the getters answer from that snapshot
// without touching the disk (the wizard's shell reads about ten values per frame), and each set checks
// the new data against the schema, has conf write it, and keeps it as the snapshot. Another process
// writing the same file is noticed by its stamp (stamp.ts): at every step boundary (steps/engine.ts)
// and before every write, so that a write never puts back what the other process changed meanwhile.
// Only `open` and `reload` read the file, so only they can find it damaged and move it aside: a getter
// never throws, in a render or anywhere.
//
// The schema (schema.ts) is enforced on reads and writes, with the validator ajv compiled at build
// time: handing conf the schema would make it compile it with ajv on every start, ~85 ms that the
// startup budget (docs/ARCHITECTURE.md, "Performance") cannot spare.
import type Conf from 'conf';
import { lstatSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AGENT_LOG_FILE, type StepId } from '../constants';
import { UserError } from '../errors';
import { checkPrivateFolder, fsProblem, isFsError, makeFolder } from '../files';
import {
  CONFIG_FILE_NAME,
  StoreCorruptError,
  checkedStoreData,
  configFile,
  emptyStoreData,
  defaultConfigDir,
  loadStoreFile,
  type LoadedStore,
} from './file';
import { refuseUnlessRegularFile, tightenPrivateFiles } from './private-files';
import type {
  Created,
  CreatedObject,
  LocalFile,
  ObjectKind,
  StepRecord,
  StepStatus,
  StoreData,
  Values,
} from './schema';
import { sameStamp, stampOf, type FileStamp } from './stamp';

export { NGROK_MODES, STEP_IDS, type NgrokMode, type StepId } from '../constants';
export type { Created, CreatedObject, ObjectKind, StepRecord, StepStatus, StoreData, Values } from './schema';
export { CONFIG_FILE_NAME, StoreCorruptError, defaultConfigDir } from './file';
export { StoreNotAFileError } from './private-files';

const CONFIG_FOLDER = {
  what: 'The config folder',
  hint: 'Pick another --config-dir (or NGROK_FUSIONAUTH_CONFIG_DIR): a folder only you can write to, on a normal disk.',
};

/** The files a recorded name stands for: the agent's log brings its older half (the log rotates into it). */
const filesOf = (name: LocalFile): string[] => (name === AGENT_LOG_FILE ? [name, `${name}.1`] : [name]);

/** A failed change in the folder as a sentence ("Cannot <what>: permission denied."); anything but the file system is a bug and stays as it is. */
function fsFailure(what: string, error: unknown): unknown {
  if (!isFsError(error)) return error;
  return new UserError(`Cannot ${what}: ${fsProblem(error)}.`, { hint: CONFIG_FOLDER.hint, cause: error });
}

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
 * The snapshot is shared by every caller, so nobody may change it in place: a change that bypassed a
 * set would show on screen yet never reach the file. Frozen, such a change throws where it is made.
 */
function deepFrozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFrozen(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * conf, evaluated on the first write rather than when the store opens: the wizard draws its first
 * frame from reads alone. In the bundle this require is esbuild's lazy initializer of the bundled conf;
 * under vitest, Node's require of the ES module.
 */
let confClass: typeof Conf | undefined;
const loadConf = (): typeof Conf => (confClass ??= (require('conf') as { default: typeof Conf }).default);

/** The setup that owns what it created: named in every mark (see `Store.owner`). */
export interface SetupOwner {
  setupId: string;
  dir: string;
}

export class Store {
  private writer: Conf<StoreData> | undefined;
  private data!: StoreData;
  /** The file as this instance last read or wrote it; a different stamp means another writer. */
  private stamp: FileStamp | undefined;

  private constructor(
    readonly dir: string,
    loaded: LoadedStore,
  ) {
    this.keep(loaded);
  }

  /**
   * Reads the store in `dir`, creating nothing (the first write makes the folder). Throws a UserError
   * for a folder others may write in, StoreCorruptError for a damaged file (moved aside),
   * StoreNotAFileError for a link or folder in its place.
   */
  static open(dir: string = defaultConfigDir()): Store {
    const resolved = path.resolve(dir);
    if (checkPrivateFolder(resolved, CONFIG_FOLDER) === 'absent')
      return new Store(resolved, { data: emptyStoreData(), stamp: undefined });
    const store = new Store(resolved, loadStoreFile(resolved));
    try {
      tightenPrivateFiles(resolved, [CONFIG_FILE_NAME, ...store.ownedFiles()]);
    } catch (error) {
      throw fsFailure(`make ${(error as NodeJS.ErrnoException).path ?? resolved} private (mode 0600)`, error);
    }
    return store;
  }

  /** The names of the files this tool made beside the settings (see `ownFile`). */
  private ownedFiles(): string[] {
    return (this.data.created.localFiles ?? []).flatMap(filesOf);
  }

  /**
   * The path of one of the files this tool keeps beside the settings, for the caller to write. When
   * nothing is there yet, it is recorded as this tool's first, so that a crash between the two still
   * leaves it known; a file already there that was not recorded stays the user's: never tightened,
   * never deleted.
   */
  ownFile(name: LocalFile): string {
    const file = path.join(this.dir, name);
    const known = this.data.created.localFiles ?? [];
    if (!known.includes(name) && !lstatSync(file, { throwIfNoEntry: false }))
      this.setCreated({ localFiles: [...known, name] });
    return file;
  }

  /**
   * Makes the folder if it is not there (0700, with any missing parents), and checks one that appeared
   * meanwhile. Every write does; a writer beside the store (the sandbox's data) calls it first.
   */
  ensureFolder(): void {
    if (checkPrivateFolder(this.dir, CONFIG_FOLDER) === 'present') return;
    makeFolder(this.dir, { what: 'the config folder', mode: 0o700, hint: CONFIG_FOLDER.hint });
    checkPrivateFolder(this.dir, CONFIG_FOLDER);
  }

  /** Runs a write of conf's, in a folder that exists, its file-system failures as a sentence. */
  private writeFile(write: () => void): void {
    this.ensureFolder();
    try {
      write();
    } catch (error) {
      // conf writes a temporary file beside it first: the settings file is what the person knows.
      throw fsFailure(`write the settings file ${this.path}`, error);
    }
  }

  /**
   * Reads the file again, for a change made from outside. A damaged file is moved aside and the
   * snapshot becomes the empty store the folder now holds, before the StoreCorruptError is thrown;
   * a link in the file's place is refused and the snapshot kept, so nothing is written through it.
   */
  reload(): void {
    try {
      this.keep(loadStoreFile(this.dir));
    } catch (error) {
      if (error instanceof StoreCorruptError) this.keep({ data: emptyStoreData(), stamp: undefined });
      throw error;
    }
  }

  /** One lstat: reloads only if the file changed since this instance read or wrote it. Says whether it did. */
  reloadIfChanged(): boolean {
    if (sameStamp(this.stamp, stampOf(this.path))) return false;
    this.reload();
    return true;
  }

  private keep({ data, stamp }: LoadedStore): void {
    this.data = deepFrozen(data);
    this.stamp = stamp;
  }

  private get conf(): Conf<StoreData> {
    this.writer ??= new (loadConf())<StoreData>({
      cwd: this.dir,
      configName: 'config',
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      defaults: { values: {}, created: {}, steps: {} },
      // A file damaged from outside since the last check, or a write of ours off the schema, throws here.
      deserialize: (text) => checkedStoreData(JSON.parse(text.replace(/^\uFEFF/, ''))),
      serialize: (data) => JSON.stringify(checkedStoreData(data), undefined, '\t'),
    });
    return this.writer;
  }

  /**
   * Replaces one section: first takes in what another process wrote (so its changes to this and the
   * other sections stay), then checks the result against the schema (a StoreSchemaError leaves file
   * and snapshot as they were), has conf write it atomically, and keeps it as the snapshot.
   */
  private write<K extends keyof StoreData>(section: K, next: (current: StoreData[K]) => StoreData[K]): void {
    this.reloadIfChanged();
    const data = checkedStoreData(structuredClone({ ...this.data, [section]: next(this.data[section]) }));
    this.writeFile(() => {
      this.conf.store = data;
    });
    this.keep({ data, stamp: stampOf(this.path) });
  }

  get path(): string {
    return configFile(this.dir);
  }

  get values(): Values {
    return this.data.values;
  }

  /** Merges values; `undefined` removes a key. */
  setValues(partial: Partial<Values>): void {
    this.write('values', (values) => merged(values, partial));
  }

  get created(): Created {
    return this.data.created;
  }

  /** Merges the bookkeeping of `created` (redirect URLs, local files); `undefined` removes a key. Objects go through `recordObject`. */
  setCreated(partial: Partial<Omit<Created, 'objects'>>): void {
    this.write('created', (created) => merged(created, partial));
  }

  /**
   * Who this setup is on the remote side: its setup id (made once, at the first call, and kept by
   * `reset`) and its folder, both named in the mark on every object it creates.
   */
  owner(): SetupOwner {
    // The global Web Crypto, not `node:crypto`: importing that module loads ~20 of Node's internal
    // modules and sets up its algorithm tables (~3 ms and more garbage to collect) on every start of
    // the wizard and `status`, which never create a setup id; the global loads them at the first call.
    if (!this.data.created.setupId) this.setCreated({ setupId: globalThis.crypto.randomUUID() });
    return { setupId: this.data.created.setupId!, dir: this.dir };
  }

  /** The recorded objects of a kind (with the role given, or without any), oldest first. */
  objectsOf(kind: ObjectKind, role?: string): CreatedObject[] {
    return (this.data.created.objects ?? []).filter((o) => o.kind === kind && o.role === role);
  }

  /** The id of the newest recorded object of a kind (and role): the one the setup uses now. */
  ownedId(kind: ObjectKind, role?: string): string | undefined {
    return this.objectsOf(kind, role).at(-1)?.id;
  }

  /** Records an object as this setup's (once: recording it again changes nothing, a new role or parent excepted). */
  recordObject(object: CreatedObject): void {
    const clean: CreatedObject = { kind: object.kind, id: object.id };
    if (object.parent) clean.parent = object.parent;
    if (object.role) clean.role = object.role;
    this.write('created', (created) => {
      const others = (created.objects ?? []).filter((o) => !(o.kind === clean.kind && o.id === clean.id));
      const same = (created.objects ?? []).find((o) => o.kind === clean.kind && o.id === clean.id);
      if (same && same.parent === clean.parent && same.role === clean.role) return created;
      // Moved to the end: the newest of a kind is the one in use (ownedId).
      return { ...created, objects: [...others, clean] };
    });
  }

  /** Forgets an object (deleted, or gone remotely); the list key goes with its last entry. */
  forgetObject(kind: ObjectKind, id: string): void {
    if (!(this.data.created.objects ?? []).some((o) => o.kind === kind && o.id === id)) return;
    this.write('created', (created) => {
      const objects = (created.objects ?? []).filter((o) => !(o.kind === kind && o.id === id));
      return merged(created, { objects: objects.length ? objects : undefined });
    });
  }

  step(id: StepId): StepRecord | undefined {
    return this.data.steps[id];
  }

  get steps(): Partial<Record<StepId, StepRecord>> {
    return this.data.steps;
  }

  setStep(id: StepId, status: StepStatus, message?: string): void {
    const record: StepRecord = { status, updatedAt: new Date().toISOString(), ...(message ? { message } : {}) };
    this.write('steps', (steps) => ({ ...steps, [id]: record }));
  }

  /** Forgets the progress of every step; keeps the values, which become the defaults of each screen. */
  clearSteps(): void {
    this.write('steps', () => ({}));
  }

  /**
   * Forgets everything local: the settings, and the files this tool made beside them (the traffic
   * policy, the agent's log) as `created.localFiles` names them; a file of the same name it did not
   * make stays. The sandbox's own state (`sandbox/`) stays: it is the sandbox's "remote" world.
   * Whatever the settings file held, damaged included, is replaced; only a link or a folder in its
   * place is refused, as conf would write through the one and fail on the other. No settings file,
   * no folder: nothing is made just to hold empty settings.
   *
   * `keepOwnership` (reset) keeps what `destroy` needs to remove the remote objects later, as a
   * Terraform state outlives a `terraform init`: the setup id, the recorded objects, the redirect URLs
   * added, and where those objects live (the FusionAuth URL and tenant, and whether it is the sandbox).
   * Without objects there is nothing to keep.
   */
  clear(options: { keepOwnership?: boolean } = {}): void {
    const found = lstatSync(this.path, { throwIfNoEntry: false });
    if (found) refuseUnlessRegularFile(this.path, found);
    const owned = this.ownedFiles();
    const kept = options.keepOwnership ? this.ownership() : undefined;
    if (found || kept)
      this.writeFile(() => {
        this.conf.clear();
        if (kept) this.conf.store = kept;
      });
    this.keep({ data: kept ?? emptyStoreData(), stamp: stampOf(this.path) });
    for (const name of owned) {
      try {
        rmSync(path.join(this.dir, name), { force: true });
      } catch (error) {
        throw fsFailure(`delete ${path.join(this.dir, name)}`, error);
      }
    }
  }

  /** What `clear({ keepOwnership })` keeps; undefined when no object is recorded. */
  private ownership(): StoreData | undefined {
    const { setupId, objects, fusionauthRedirectUrls } = this.data.created;
    if (!objects?.length) return undefined;
    const { sandbox, fusionauthUrl, tenantId } = this.data.values;
    return checkedStoreData(
      structuredClone({
        values: merged({}, { sandbox, fusionauthUrl, tenantId }),
        created: merged({}, { setupId, objects, fusionauthRedirectUrls }),
        steps: {},
      }),
    );
  }

  snapshot(): StoreData {
    return { values: this.values, created: this.created, steps: this.steps };
  }
}
