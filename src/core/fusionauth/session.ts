// Opening the management API for a step: the URL, the key by precedence, the tenant once known.
import { UserError } from '../errors';
import { givenSecrets } from '../secrets';
import { FusionAuthApi } from './client';
import { fusionauthKeyFor, type FusionAuthKey } from './key';
import type { Values } from '../store';

export interface Session {
  api: FusionAuthApi;
  key: FusionAuthKey;
  url: string;
}

interface SessionContext {
  options: { fusionauthApiKeyFile?: string; ngrokApiKeyFile?: string };
  env: NodeJS.ProcessEnv;
  store: { values: Values };
  signal: AbortSignal;
}

export async function openSession(ctx: SessionContext, url: string | undefined, tenantId?: string): Promise<Session> {
  if (!url) throw new UserError('No FusionAuth URL yet.', { hint: 'Go back to Before You Start and enter it.' });
  const key = fusionauthKeyFor(ctx);
  if (!key)
    throw new UserError('No FusionAuth API key.', {
      hint: 'Set FUSIONAUTH_API_KEY, pass --fusionauth-api-key-file, or enter the key on Set Up FusionAuth.',
    });
  const api = await FusionAuthApi.connect({
    url,
    apiKey: key.key,
    tenantId,
    signal: ctx.signal,
    secrets: givenSecrets(ctx),
  });
  return { api, key, url };
}
