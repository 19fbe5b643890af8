// The ngrok stand-ins of the sandbox: the management API (NGROK_API_URL), ngrok's cloud (public
// hostnames on loopback listeners, OIDC enforced with openid-client), and the files that run the
// agent stand-in against them. See docs/ARCHITECTURE.md, "The sandbox".
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiTapCounter } from '../api-tap';
import { writeAgentFiles } from './agent-files';
import { ensureDevDomain } from './api/reserved-domains';
import type { Switches } from './api/context';
import { startApiServer, type RateLimit } from './api/server';
import { startCloud } from './cloud';
import type { NgrokPlan } from './plan';
import { Registry } from './registry';
import { Account } from './state';

export interface NgrokOptions {
  /** Port of the management API; fails if taken. Default: the port of the last run, else any. */
  port?: number;
  /** Keeps the account (keys, resources, ports) across runs; default: a temp dir removed on close. */
  dataDir?: string;
  /** Use this API key instead of a generated one. */
  apiKey?: string;
  /** Accounts after the 2025-12-31 sunset: edge creation answers ERR_NGROK_7008. */
  edgesSunset?: boolean;
  /** The account's plan (./plan.ts); default pay-as-you-go, where everything the guide needs is available. */
  plan?: NgrokPlan;
  /** Told the hostname → loopback origin map at start and whenever a public hostname gets its listener. */
  onPublicUrls?(urls: Record<string, string>): void;
  /** ngrok's limit is 120 requests per 60 s; tests lower it to see ERR_NGROK_226. */
  rateLimit?: RateLimit;
  /** Interval of the session heartbeats to agents (ms). */
  heartbeatMs?: number;
  /** Sees (and may hold) each management API request as it arrives; see ../api-tap.ts. */
  tap?: ApiTapCounter;
}

export interface NgrokSandbox {
  /** The management API, http://127.0.0.1:PORT (NGROK_API_URL). */
  apiUrl: string;
  apiKey: string;
  /** The agent authtoken; the API refuses it (401 ERR_NGROK_207), as ngrok does. */
  authtoken: string;
  /** The cloud's OIDC callback (ngrok's is https://idp.ngrok.com/oauth2/callback). */
  redirectUri: string;
  /** The folder of this sandbox's files: its data dir, or a temp dir removed on close. */
  dir: string;
  /** An executable that runs the agent stand-in against this sandbox (NGROK_BIN). */
  agentPath: string;
  /** The ngrok.yml the wrapper points the agent at. */
  agentConfigPath: string;
  /** host:port of the cloud, as the agent's connect_url (server_addr in v2). */
  serverAddr: string;
  /** The loopback URL serving a hostname or URL ("x.ngrok.app" → "http://127.0.0.1:PORT"). */
  publicUrlFor(hostOrUrl: string): string | undefined;
  setEdgesSunset(on: boolean): void;
  setPlan(plan: NgrokPlan): void;
  setRateLimit(limit: RateLimit): void;
  close(): Promise<void>;
}

export type { RateLimit, NgrokPlan };

export async function startNgrok(options: NgrokOptions = {}): Promise<NgrokSandbox> {
  const tempDir = options.dataDir ? undefined : await mkdtemp(path.join(tmpdir(), 'ngrok-sandbox-'));
  const dir = options.dataDir ? path.resolve(options.dataDir) : tempDir!;
  const account = Account.open(options.dataDir ? dir : undefined);
  if (options.apiKey) account.apiKey = options.apiKey;
  ensureDevDomain(account);

  const registry = new Registry();
  const flags: Switches = { edgesSunset: options.edgesSunset ?? false, plan: options.plan ?? 'pay-as-you-go' };
  const cloud = await startCloud({
    account,
    registry,
    flags,
    port: account.ports.cloud,
    heartbeatMs: options.heartbeatMs,
    onPublicUrls: options.onPublicUrls,
  });
  let api;
  try {
    api = await startApiServer({
      account,
      registry,
      flags,
      port: options.port ?? account.ports.api,
      strictPort: options.port !== undefined,
      rateLimit: options.rateLimit ?? { max: 120, windowMs: 60_000 },
      // Persist, and open listeners for hostnames that appeared, before the API answers.
      afterChange: () => cloud.sync(true),
      tap: options.tap,
    });
  } catch (error) {
    await cloud.close();
    throw error;
  }
  account.ports.api = api.port;
  account.ports.cloud = cloud.port;
  account.save();
  const files = await writeAgentFiles(dir, account.authtoken, cloud.serverAddr);

  return {
    apiUrl: api.url,
    apiKey: account.apiKey,
    authtoken: account.authtoken,
    redirectUri: cloud.redirectUri,
    dir,
    agentPath: files.agentPath,
    agentConfigPath: files.agentConfigPath,
    serverAddr: cloud.serverAddr,
    publicUrlFor: cloud.publicUrlFor,
    setEdgesSunset: (on) => (flags.edgesSunset = on),
    setPlan: (plan) => (flags.plan = plan),
    setRateLimit: (limit) => api.setRateLimit(limit),
    async close() {
      await Promise.all([api.close(), cloud.close()]);
      account.save();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    },
  };
}
