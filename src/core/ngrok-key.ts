// Where the ngrok API key comes from: `--ngrok-api-key-file`, then `NGROK_API_KEY`, then a key typed on
// the ngrok screen (the only one kept in the store; env and files are read again each run). No key at
// all is the manual path. NGROK_API_URL points the calls elsewhere (the sandbox sets it).
import { readFileSync } from 'node:fs';
import { UserError } from './errors';
import type { Validation } from './validate';

export type NgrokKeySource = 'file' | 'env' | 'typed';

export interface NgrokKey {
  key: string;
  source: NgrokKeySource;
}

interface KeyContext {
  options: { ngrokApiKeyFile?: string };
  env: NodeJS.ProcessEnv;
}

/** A key given outside the wizard (flag or env): then the screen asks for none. Reads no file. */
export function hasExternalNgrokKey(ctx: KeyContext): boolean {
  return Boolean(ctx.options.ngrokApiKeyFile || ctx.env.NGROK_API_KEY?.trim());
}

/** The key by precedence (file, env, typed); undefined: the manual path. An unreadable file is a UserError. */
export function ngrokKeyFor(ctx: KeyContext, typed: string | undefined): NgrokKey | undefined {
  const file = ctx.options.ngrokApiKeyFile;
  if (file) return { key: readNgrokKeyFile(file), source: 'file' };
  const env = ctx.env.NGROK_API_KEY?.trim();
  if (env) return { key: env, source: 'env' };
  const key = typed?.trim();
  return key ? { key, source: 'typed' } : undefined;
}

export function ngrokApiUrlFor(env: NodeJS.ProcessEnv): string | undefined {
  return env.NGROK_API_URL?.trim() || undefined;
}

function readNgrokKeyFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UserError(`Cannot read the ngrok API key file ${file}: ${why}.`, { hint: 'Pass --ngrok-api-key-file a file that holds only the key, or set NGROK_API_KEY.' });
  }
  const key = text.trim();
  if (!key) throw new UserError(`The ngrok API key file ${file} is empty.`, { hint: 'Put an API key in it (ngrok dashboard → API Keys).' });
  if (/\s/.test(key)) throw new UserError(`The ngrok API key file ${file} holds more than one word.`, { hint: 'The file should hold only the key.' });
  return key;
}

/** The typed key: empty is fine (the manual path); otherwise one word of a plausible length. */
export function ngrokKeyText(text: string): Validation<string> {
  const value = text.trim();
  if (!value) return { ok: true, value: '' };
  if (/\s/.test(value)) return { ok: false, message: 'The API key is one word, without spaces.' };
  if (/[\u0000-\u001f\u007f]/.test(value)) return { ok: false, message: 'The API key contains control characters.' };
  if (value.length < 20) return { ok: false, message: 'That is too short for an ngrok API key; copy the whole key.' };
  return { ok: true, value };
}
