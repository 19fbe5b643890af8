// Where an API key comes from, the same for FusionAuth and ngrok: the key file flag, then the env
// variable, then a key typed into the wizard. One reader of key files, so a bad file gets the same
// clear sentence whichever service it is for.
import { readFileSync } from 'node:fs';
import { UserError } from './errors';

export interface KeyFileService {
  /** "FusionAuth" or "ngrok". */
  name: string;
  flag: string;
  env: string;
  /** Where to get a key, for the empty-file hint. */
  where: string;
}

export function readKeyFile(file: string, service: KeyFileService): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UserError(`Cannot read the ${service.name} API key file ${file}: ${why}.`, { hint: `Pass ${service.flag} a file that holds only the key, or set ${service.env}.` });
  }
  const key = text.trim();
  if (!key) throw new UserError(`The ${service.name} API key file ${file} is empty.`, { hint: `Put the key from ${service.where} in it.` });
  if (/\s/.test(key)) throw new UserError(`The ${service.name} API key file ${file} holds more than one word.`, { hint: 'The file should hold only the key.' });
  return key;
}

export type KeySource = 'file' | 'env' | 'typed';

export interface ApiKey {
  key: string;
  source: KeySource;
}

/** The key by precedence (file, env, typed); undefined when there is none. An unreadable file is a UserError. */
export function keyFrom(service: KeyFileService, file: string | undefined, env: NodeJS.ProcessEnv, typed: string | undefined): ApiKey | undefined {
  if (file) return { key: readKeyFile(file, service), source: 'file' };
  const fromEnv = env[service.env]?.trim();
  if (fromEnv) return { key: fromEnv, source: 'env' };
  const key = typed?.trim();
  return key ? { key, source: 'typed' } : undefined;
}

/** Where the key in use came from, for "… accepts <this>". */
export const describeKeySource = (source: KeySource, service: KeyFileService): string =>
  ({ file: 'the key file', env: service.env, typed: 'the key you entered' })[source];
