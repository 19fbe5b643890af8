// Where the ngrok API key comes from: `--ngrok-api-key-file`, then `NGROK_API_KEY`, then a key typed on
// the ngrok screen (the only one kept in the store; env and files are read again each run). No key at
// all is the manual path. NGROK_API_URL points the calls elsewhere (the sandbox sets it).
import { KEY_SERVICES, describeKeySource, keyFrom, type ApiKey } from '../key-file';
import { apiKey, optional } from '../validate';

export type NgrokKey = ApiKey;

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
  return keyFrom(SERVICE, ctx.options.ngrokApiKeyFile, ctx.env, typed);
}

/** Where the key in use came from, for "ngrok accepts <this>". */
export const describeNgrokKeySource = (key: NgrokKey): string => describeKeySource(key.source, SERVICE);

export function ngrokApiUrlFor(env: NodeJS.ProcessEnv): string | undefined {
  return env.NGROK_API_URL?.trim() || undefined;
}

const SERVICE = KEY_SERVICES.ngrok;

/** The typed key: empty is fine (the manual path); otherwise one word of a plausible length. */
export const ngrokKeyText = optional((text) => apiKey(text, 'The ngrok API key', 20));
