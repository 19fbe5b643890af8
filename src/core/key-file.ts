// API key files (`--fusionauth-api-key-file`, `--ngrok-api-key-file`): one reader for both, so a bad
// file gets the same clear sentence whichever service it is for.
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
