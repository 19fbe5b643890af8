// Reading the settings file without conf: the checks every command makes before it trusts the file,
// and the whole of what `status` needs (it starts in a few milliseconds because it loads neither conf
// nor ajv). A damaged file is moved aside with a clear message, never silently reset; a link or a folder
// in the file's place is refused (private-files.ts).
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_FILE_NAME } from '../constants';
import { UsageError, UserError } from '../errors';
import { fsProblem } from '../files';
import validateStoreData from './generated/store-validator.js';
import { migrateStoreData } from './migrate';
import { StoreNotAFileError, refuseUnlessRegularFile } from './private-files';
import { profileDir, profileOf } from './profiles';
import { STORE_SCHEMA, VALUE_FORMATS, type StoreData } from './schema';
import { stampFrom, type FileStamp } from './stamp';

export { CONFIG_FILE_NAME };

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.NGROK_FUSIONAUTH_CONFIG_DIR;
  // Set but blank is a mistake, as `--config-dir "  "` is (program.ts): path.resolve would make it a
  // folder named by spaces in the current one. Unset or empty means the default, as for most variables.
  if (fromEnv && !fromEnv.trim())
    throw new UsageError(
      'NGROK_FUSIONAUTH_CONFIG_DIR is empty (only spaces): name a folder (or unset it for the default one).',
    );
  if (fromEnv) return path.resolve(fromEnv);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'ngrok-fusionauth');
}

/** `--config-dir` wins over NGROK_FUSIONAUTH_CONFIG_DIR, which wins over ~/.config/ngrok-fusionauth. */
export function baseConfigDirOf(flag: string | undefined): string {
  return flag !== undefined ? path.resolve(flag) : defaultConfigDir();
}

/**
 * The folder of the store a command works on: the config folder ({@link baseConfigDirOf}) for the
 * default profile, `<config folder>/profiles/<name>` for `--profile NAME` (or NGROK_FUSIONAUTH_PROFILE).
 */
export function configDirOf(globals: { configDir?: string; profile?: string }): string {
  return profileDir(baseConfigDirOf(globals.configDir), profileOf(globals.profile));
}

export function configFile(dir: string): string {
  return path.join(path.resolve(dir), CONFIG_FILE_NAME);
}

export class StoreCorruptError extends UserError {
  constructor(
    readonly file: string,
    readonly keptAt: string,
    reason: string,
  ) {
    super(`The settings file ${file} is damaged (${reason}).`, {
      hint: `It was moved to ${keptAt} so nothing is lost. Fix it and move it back, or run again to start with empty settings.`,
    });
    this.name = 'StoreCorruptError';
  }
}

/** Thrown by {@link checkedStoreData}: the data breaks the schema (`reason` says where and how). */
export class StoreSchemaError extends Error {
  constructor(reason: string, offSchema = true) {
    super(offSchema ? `wrong values: ${reason}` : reason);
    this.name = 'StoreSchemaError';
  }
}

/**
 * The data if it matches STORE_SCHEMA (the missing sections filled in with `{}`, as the schema's
 * defaults say), else a StoreSchemaError naming every violation. An older file's `created` section is
 * read in today's shape first (migrate.ts).
 */
export function checkedStoreData(raw: unknown): StoreData {
  const data = migrateStoreData(raw);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new StoreSchemaError('it does not hold a JSON object', false);
  if (validateStoreData(data)) return data as StoreData;
  const reasons = (validateStoreData.errors ?? []).map(reasonOf).filter((r): r is string => r !== undefined);
  throw new StoreSchemaError([...new Set(reasons)].join('; '));
}

/**
 * The settings of a store with no file yet: each section's schema default (`{}`), exactly what
 * {@link checkedStoreData} makes of `{}`, without running the generated validator. That validator is
 * one large function V8 compiles at its first call (~1.5 ms), which a new user's first start would pay
 * before the wizard's first frame for nothing: with no file there is nothing to validate. A file that
 * exists is always validated. A fresh object on every call: the store freezes what it keeps.
 */
export function emptyStoreData(): StoreData {
  const sections = Object.entries(STORE_SCHEMA.properties).map(([name, schema]) => [
    name,
    structuredClone(schema.default),
  ]);
  return Object.fromEntries(sections) as unknown as StoreData;
}

/** What each value pattern means, in words: a refusal says "is not a path like /api", not the regex. */
const PATTERN_SAYS = new Map<string, string>(Object.values(VALUE_FORMATS).map((f) => [f.pattern, f.says]));

type SchemaError = NonNullable<typeof validateStoreData.errors>[number] & { propertyName?: string };

/** One violation as words: where, then what is wrong. Never the value itself (it may be a secret). */
function reasonOf(e: SchemaError): string | undefined {
  const where = e.instancePath.slice(1) || 'the file';
  // ajv reports a bad key twice: the key's own pattern error (kept) and "property name must be valid".
  if (e.keyword === 'propertyNames') return undefined;
  if (e.keyword === 'pattern') {
    const says = PATTERN_SAYS.get(String(e.params.pattern)) ?? 'in the expected form';
    return e.propertyName !== undefined ? `${where} has a key that is not ${says}` : `${where} is not ${says}`;
  }
  return `${where} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`;
}

/**
 * Why JSON.parse refused the text, without any of the text: V8 quotes the start of it ("Unexpected
 * token 'S', "SECRET…" is not valid JSON"), and those bytes are the user's secrets, or through a link
 * another file's. Only where it stopped is kept.
 */
function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = /\(line (\d+) column (\d+)\)/.exec(message);
  if (at) return `not valid JSON at line ${at[1]}, column ${at[2]}`;
  return /end of JSON input/.test(message) ? 'not valid JSON: it ends too early' : 'not valid JSON';
}

/** Our writes are atomic, so a file that is empty, unparsable or off-schema was damaged from outside. */
function parse(text: string): { data: StoreData } | { problem: string } {
  if (text.trim() === '') return { problem: 'the file is empty' };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { problem: jsonProblem(error) };
  }
  try {
    return { data: checkedStoreData(json) };
  } catch (error) {
    if (error instanceof StoreSchemaError) return { problem: error.message };
    throw error;
  }
}

export interface LoadedStore {
  data: StoreData;
  /** The stamp of the file the data was read from; undefined when there was none. */
  stamp: FileStamp | undefined;
}

/** The largest settings file read: ~1000× what a full setup stores. */
const MAX_STORE_BYTES = 4n * 2n ** 20n;

/** O_NOFOLLOW: a link put in place between the lstat and the open is refused too; O_NONBLOCK: a FIFO does not hang the open. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The text of the regular file `file` and the stamp of exactly what was read; undefined when there is none. */
function readRegularFile(file: string): { text: string; stamp: FileStamp } | undefined {
  // A folder we may not look into, or a file where the folder should be: a sentence, not a stack trace.
  const cannotRead = (error: unknown) =>
    new UserError(`Cannot read the settings file ${file}: ${fsProblem(error)}.`, {
      hint: 'Give yourself access to it, or pick another --config-dir (or NGROK_FUSIONAUTH_CONFIG_DIR).',
      cause: error,
    });
  let found;
  try {
    found = lstatSync(file, { throwIfNoEntry: false });
  } catch (error) {
    throw cannotRead(error);
  }
  if (!found) return undefined;
  refuseUnlessRegularFile(file, found);
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new StoreNotAFileError(file, 'a symbolic link');
    throw cannotRead(error);
  }
  try {
    const stats = fstatSync(fd, { bigint: true });
    refuseUnlessRegularFile(file, stats);
    // Settings take a few KB; a file of many MB is not ours to read whole (a 10 GB one would be read
    // into memory, and status would take the machine with it).
    if (stats.size > MAX_STORE_BYTES)
      throw new UserError(
        `${file} is ${(Number(stats.size) / 2 ** 20).toFixed(0)} MB, far more than settings take: it is not a settings file of this tool.`,
        { hint: 'Move it away (or point --config-dir at another folder) and run the command again.' },
      );
    return { text: readFileSync(fd, 'utf8'), stamp: stampFrom(stats) };
  } finally {
    closeSync(fd);
  }
}

/**
 * The settings in `dir`, checked against the schema (empty sections when there is no file yet), and
 * the stamp of the file read; creates nothing. A damaged file is moved aside and reported as a
 * StoreCorruptError that names the file and the reason, never its content; a link or anything but a
 * regular file is refused with a StoreNotAFileError and left where it is.
 */
export function loadStoreFile(dir: string): LoadedStore {
  const file = configFile(dir);
  const found = readRegularFile(file);
  if (!found) return { data: emptyStoreData(), stamp: undefined };
  const parsed = parse(found.text);
  if ('data' in parsed) return { data: parsed.data, stamp: found.stamp };
  const keptAt = `${file}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, keptAt);
  throw new StoreCorruptError(file, keptAt, parsed.problem);
}

/** The settings in `dir`, as {@link loadStoreFile} reads them (what `status` shows). */
export function readStoreFile(dir: string): StoreData {
  return loadStoreFile(dir).data;
}
