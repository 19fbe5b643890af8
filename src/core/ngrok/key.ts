// Where the ngrok API key comes from: `--ngrok-api-key-file`, then `NGROK_API_KEY`, then a key typed on
// the ngrok screen (the only one kept in the store; env and files are read again each run). No key at
// all is the manual path. NGROK_API_URL points the calls elsewhere (the sandbox sets it).
import { UserError } from '../errors';
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

/** NGROK_API_URL, once it is an http(s) URL; undefined when not set (ngrok's own then). */
export function ngrokApiUrlFor(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.NGROK_API_URL?.trim();
  return value ? checkedNgrokApiUrl(value) : undefined;
}

/**
 * `url`, once fetch can call it: http: or https: with a host. Anything else (file:///…, a bare host
 * name) failed inside fetch and read "Could not reach null", the origin of a URL that has none.
 */
export function checkedNgrokApiUrl(url: string): string {
  const parsed = URL.parse(url);
  if (parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname) return url;
  throw new UserError(`NGROK_API_URL must be an http:// or https:// URL such as https://api.ngrok.com, not "${url}".`, {
    hint: "Unset it to use ngrok's API, or point it at a server that speaks it (the sandbox prints its URL).",
  });
}

const SERVICE = KEY_SERVICES.ngrok;

/** The typed key: empty is fine (the manual path); otherwise one word of a plausible length. */
export const ngrokKeyText = optional((text) => apiKey(text, 'The ngrok API key', 20));
