// The one list of what this run knows to be secret, for the one redactor (core/text/redact.ts):
// the client secret and the API keys typed into the wizard (the store), the keys and the authtoken in
// the environment, the key files given as flags, and ngrok's own configuration file (its authtoken
// and API key, which the user never gave us but the agent may quote back).
import { readFileSync } from 'node:fs';
import type { RunContext } from './context';
import type { Values } from './store';

/** A key file's key as the run reads it; nothing when it cannot be read (that is reported elsewhere). */
function keyFileText(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** What the run holds without asking anyone: the store, the environment, the key files. */
export function givenSecrets(ctx: {
  store: { values: Values };
  env: NodeJS.ProcessEnv;
  options: { fusionauthApiKeyFile?: string; ngrokApiKeyFile?: string };
}): string[] {
  const v = ctx.store.values;
  const list = [
    v.clientSecret,
    v.fusionauthApiKey,
    v.ngrokApiKey,
    ctx.env.FUSIONAUTH_API_KEY,
    ctx.env.NGROK_API_KEY,
    ctx.env.NGROK_AUTHTOKEN,
    keyFileText(ctx.options.fusionauthApiKeyFile),
    keyFileText(ctx.options.ngrokApiKeyFile),
  ];
  return list.filter((s): s is string => Boolean(s));
}

/** Everything above, and the secrets in ngrok's configuration file (found by asking the agent where it is). */
export async function knownSecrets(ctx: Pick<RunContext, 'store' | 'env' | 'options' | 'signal'>): Promise<string[]> {
  // Loaded here, not at the top: the FusionAuth session needs givenSecrets, not the agent's code.
  const { agentConfigSecrets, ngrokBin } = await import('./agent');
  const fromConfig = await agentConfigSecrets(ngrokBin(ctx.env), ctx.env, ctx.signal).catch(() => []);
  return [...givenSecrets(ctx), ...fromConfig];
}
