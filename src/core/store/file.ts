// Reading the settings file without conf: the checks every command makes before it trusts the file,
// and the whole of what `status` needs (it starts in a few milliseconds because it loads neither conf
// nor ajv). A damaged file is moved aside with a clear message, never silently reset.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors';
import validateStoreData from './generated/store-validator.js';
import type { StoreData } from './schema';

export const CONFIG_FILE_NAME = 'config.json';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NGROK_FUSIONAUTH_CONFIG_DIR) return path.resolve(env.NGROK_FUSIONAUTH_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'ngrok-fusionauth');
}

/** `--config-dir` wins over NGROK_FUSIONAUTH_CONFIG_DIR, which wins over ~/.config/ngrok-fusionauth. */
export function configDirOf(flag: string | undefined): string {
  return flag !== undefined ? path.resolve(flag) : defaultConfigDir();
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
 * defaults say), else a StoreSchemaError naming every violation.
 */
export function checkedStoreData(data: unknown): StoreData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new StoreSchemaError('it does not hold a JSON object', false);
  if (validateStoreData(data)) return data as StoreData;
  const reasons = (validateStoreData.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'the file'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
  throw new StoreSchemaError(reasons.join('; '));
}

/** Our writes are atomic, so a file that is empty, unparsable or off-schema was damaged from outside. */
function parse(text: string): { data: StoreData } | { problem: string } {
  if (text.trim() === '') return { problem: 'the file is empty' };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { problem: `not valid JSON: ${(error as Error).message}` };
  }
  try {
    return { data: checkedStoreData(json) };
  } catch (error) {
    if (error instanceof StoreSchemaError) return { problem: error.message };
    throw error;
  }
}

/**
 * The settings in `dir`, checked against the schema (empty sections when there is no file yet);
 * creates nothing. A damaged file is moved aside and reported as a StoreCorruptError.
 */
export function readStoreFile(dir: string): StoreData {
  const file = configFile(dir);
  if (!existsSync(file)) return checkedStoreData({});
  const parsed = parse(readFileSync(file, 'utf8'));
  if ('data' in parsed) return parsed.data;
  const keptAt = `${file}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, keptAt);
  throw new StoreCorruptError(file, keptAt, parsed.problem);
}
