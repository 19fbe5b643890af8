// The one list of what this run knows to be secret, for the one redactor (core/text/redact.ts):
// the client secret and the API keys typed into the wizard (the store), the keys and the authtoken in
// the environment, the key files given as flags, and ngrok's own configuration file (its authtoken
// and API key, which the user never gave us but the agent may quote back).
import type { RunContext } from './context';
import { KEY_SERVICES, readKeyFile } from './key-file';
import type { Values } from './store';

type KeyFileOptions = { fusionauthApiKeyFile?: string; ngrokApiKeyFile?: string };

/**
 * The key files' keys, read once per run (one options object per run) with the repo's one capped
 * reader (core/key-file.ts: no FIFO waited on, no device or huge file read); a file that cannot be
 * read holds nothing to hide here (the step that uses it reports why).
 */
const keyFileSecrets = new WeakMap<KeyFileOptions, string[]>();
function keyFilesOf(options: KeyFileOptions): string[] {
  let keys = keyFileSecrets.get(options);
  if (!keys) {
    keys = [];
    for (const [file, service] of [
      [options.fusionauthApiKeyFile, KEY_SERVICES.fusionauth],
      [options.ngrokApiKeyFile, KEY_SERVICES.ngrok],
    ] as const) {
      if (!file) continue;
      try {
        keys.push(readKeyFile(file, service));
      } catch {
        // reported where the key is used
      }
    }
    keyFileSecrets.set(options, keys);
  }
  return keys;
}

/** ngrok's configuration file's secrets, asked of the agent once per run (keyed by the run's one abort signal). */
const agentConfigSecretsOf = new WeakMap<AbortSignal, Promise<string[]>>();

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
    ...keyFilesOf(ctx.options),
  ];
  return list.filter((s): s is string => Boolean(s));
}

/** Everything above, and the secrets in ngrok's configuration file (found by asking the agent where it is). */
export async function knownSecrets(ctx: Pick<RunContext, 'store' | 'env' | 'options' | 'signal'>): Promise<string[]> {
  // Loaded here, not at the top: the FusionAuth session needs givenSecrets, not the agent's code.
  let fromConfig = agentConfigSecretsOf.get(ctx.signal);
  if (!fromConfig) {
    const { agentConfigSecrets, ngrokBin } = await import('./agent');
    fromConfig = agentConfigSecrets(ngrokBin(ctx.env), ctx.env, ctx.signal).catch(() => []);
    agentConfigSecretsOf.set(ctx.signal, fromConfig);
  }
  // The store's values are read each time: the run adds to them (the client secret, once created).
  return [...givenSecrets(ctx), ...(await fromConfig)];
}
