// The whole outside world of the guide on 127.0.0.1: a FusionAuth-compatible IdP, the ngrok API, ngrok's
// cloud and the agent stand-in. `setup --sandbox` and `sandbox` start it; tests start it too.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApiTapCounter, type ApiTap } from './api-tap';
import { startIdp, type Idp } from './idp/index';
import { startNgrok, type NgrokPlan, type NgrokSandbox } from './ngrok/index';
import { REACH_FILE_NAME, removeReachFile, SANDBOX_REACH_ENV, writeReachFile } from './reach';

export type { NgrokPlan } from './ngrok/index';
export { SANDBOX_REACH_ENV };

export interface Sandbox {
  fusionauth: { url: string; apiKey: string; tenantId: string };
  ngrok: { apiUrl: string; apiKey: string; authtoken: string };
  agentPath: string;
  /** Where the sandbox's cloud lists which loopback port serves which public URL. */
  publicUrlsAt: string;
  /** The same map as a file kept current, for other processes (./reach.ts; SANDBOX_REACH_ENV). */
  reachFile: string;
  redirectUri: string;
  demoUser: { email: string; password: string };
  /** The loopback URL that serves a public ngrok URL or host, once something serves it. */
  publicUrlFor(hostOrUrl: string): string | undefined;
  setEdgesSunset(on: boolean): void;
  setPlan(plan: NgrokPlan): void;
  /** The environment that points this tool (and the agent) at the sandbox. */
  env: Record<string, string>;
  close(): Promise<void>;
}

interface Ports {
  idp?: number;
  ngrok?: number;
}

export interface SandboxOptions {
  dataDir?: string;
  edgesSunset?: boolean;
  /** The ngrok account's plan: `free` answers as ngrok answers a Free account (ngrok/plan.ts). */
  plan?: NgrokPlan;
  tap?: ApiTap;
}

/**
 * With a data dir, state and ports survive a restart: a resumed `setup --sandbox` finds the same
 * FusionAuth URL and the same objects it created.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { dataDir } = options;
  // One counter: the k-th management call of a run, whichever service it goes to.
  const tap = options.tap && new ApiTapCounter(options.tap);
  const portsFile = dataDir ? path.join(dataDir, 'ports.json') : undefined;
  let ports: Ports = {};
  if (dataDir && portsFile) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    try {
      ports = JSON.parse(readFileSync(portsFile, 'utf8')) as Ports;
    } catch {
      ports = {};
    }
  }
  // The reach file is rewritten whenever the cloud's map changes, from the moment its folder (the
  // ngrok dir, known once startNgrok returns) and the demo login are known.
  let reach: { file?: string; publicUrls: Record<string, string>; login?: { email: string; password: string } } = { publicUrls: {} };
  const publish = () => reach.file && reach.login && writeReachFile(reach.file, { publicUrls: reach.publicUrls, login: reach.login });
  const onPublicUrls = (urls: Record<string, string>) => {
    reach.publicUrls = urls;
    publish();
  };
  const start = async (preferred: Ports): Promise<[Idp, NgrokSandbox]> => {
    const idp = await startIdp({ port: preferred.idp, dataDir: dataDir && path.join(dataDir, 'idp'), tap });
    try {
      const ngrok = await startNgrok({ port: preferred.ngrok, dataDir: dataDir && path.join(dataDir, 'ngrok'), edgesSunset: options.edgesSunset, plan: options.plan, tap, onPublicUrls });
      return [idp, ngrok];
    } catch (error) {
      await idp.close();
      throw error;
    }
  };
  let idp: Idp;
  let ngrok: NgrokSandbox;
  try {
    [idp, ngrok] = await start(ports);
  } catch (error) {
    // A remembered port taken by something else: start on fresh ones rather than fail.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    [idp, ngrok] = await start({});
  }
  if (portsFile) writeFileSync(portsFile, JSON.stringify({ idp: Number(new URL(idp.url).port), ngrok: Number(new URL(ngrok.apiUrl).port) }));
  const reachFile = path.join(ngrok.dir, REACH_FILE_NAME);
  reach = { ...reach, file: reachFile, login: { email: idp.demoUser.email, password: idp.demoUser.password } };
  publish();

  return {
    fusionauth: { url: idp.url, apiKey: idp.apiKey, tenantId: idp.tenantId },
    ngrok: { apiUrl: ngrok.apiUrl, apiKey: ngrok.apiKey, authtoken: ngrok.authtoken },
    agentPath: ngrok.agentPath,
    publicUrlsAt: `http://${ngrok.serverAddr}/_sandbox/public-urls`,
    reachFile,
    redirectUri: ngrok.redirectUri,
    demoUser: { email: idp.demoUser.email, password: idp.demoUser.password },
    publicUrlFor: (hostOrUrl) => ngrok.publicUrlFor(hostOrUrl),
    setEdgesSunset: (on) => ngrok.setEdgesSunset(on),
    setPlan: (plan) => ngrok.setPlan(plan),
    env: {
      FUSIONAUTH_URL: idp.url,
      FUSIONAUTH_API_KEY: idp.apiKey,
      NGROK_API_URL: ngrok.apiUrl,
      NGROK_API_KEY: ngrok.apiKey,
      NGROK_BIN: ngrok.agentPath,
      NGROK_OIDC_REDIRECT_URI: ngrok.redirectUri,
      [SANDBOX_REACH_ENV]: reachFile,
    },
    async close() {
      // First, so that no reader is sent to ports that are about to close (with a data dir it would stay).
      reach.file = undefined;
      removeReachFile(reachFile);
      await Promise.all([idp.close(), ngrok.close()]);
    },
  };
}
