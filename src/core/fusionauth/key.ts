// Where the FusionAuth API key comes from: `--fusionauth-api-key-file`, then `FUSIONAUTH_API_KEY`, then
// a key typed into the wizard (the only one kept in the store; env and files are read again each run).
import { KEY_SERVICES, describeKeySource as describe, keyFrom, type ApiKey, type KeySource } from '../key-file';
import type { Values } from '../store';

export type FusionAuthKey = ApiKey;

interface KeyContext {
  options: { fusionauthApiKeyFile?: string };
  env: NodeJS.ProcessEnv;
  store: { values: Values };
}

/** A key given outside the wizard (flag or env): then the screen asks for none. Reads no file. */
export function hasExternalKey(ctx: Omit<KeyContext, 'store'>): boolean {
  return Boolean(ctx.options.fusionauthApiKeyFile || ctx.env.FUSIONAUTH_API_KEY?.trim());
}

/** Whether some key is at hand (given, or typed in an earlier run). Reads no file. */
export function hasFusionAuthKey(ctx: KeyContext): boolean {
  return hasExternalKey(ctx) || Boolean(ctx.store.values.fusionauthApiKey);
}

/** The key, by precedence; undefined when there is none. An unreadable key file is a UserError. */
export function fusionauthKeyFor(ctx: KeyContext): FusionAuthKey | undefined {
  return keyFrom(SERVICE, ctx.options.fusionauthApiKeyFile, ctx.env, ctx.store.values.fusionauthApiKey);
}

const SERVICE = KEY_SERVICES.fusionauth;

export const describeKeySource = (source: KeySource): string => describe(source, SERVICE);
