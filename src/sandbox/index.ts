// The whole outside world of the guide on 127.0.0.1: a FusionAuth-compatible IdP, the ngrok API, ngrok's
// cloud and the agent stand-in. `setup --sandbox` and `sandbox` start it; tests start it too.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** Whether ngrok's cloud here cannot reach this FusionAuth on loopback (SandboxOptions.privateFusionAuth). */
  privateFusionAuth: boolean;
  setEdgesSunset(on: boolean): void;
  setPlan(plan: NgrokPlan): void;
  /** The environment that points this tool (and the agent) at the sandbox. */
  env: Record<string, string>;
  close(): Promise<void>;
}

interface Ports {
  idp?: number;
  ngrok?: number;
  /** Kept with the ports: a sandbox whose FusionAuth was private stays so when started again. */
  privateFusionAuth?: boolean;
}

export interface SandboxOptions {
  dataDir?: string;
  edgesSunset?: boolean;
  /** The ngrok account's plan: `free` answers as ngrok answers a Free account (ngrok/plan.ts). */
  plan?: NgrokPlan;
  /**
   * FusionAuth reachable only on this machine (a developer's docker compose on localhost:9011): the
   * cloud refuses loopback issuers, so logins work only through FusionAuth published through ngrok.
   * With a data dir it is remembered: later starts from that dir keep it.
   */
  privateFusionAuth?: boolean;
  tap?: ApiTap;
}

/**
 * `<dataDir>/running.json`, while a sandbox runs from that data dir: what another process needs to use
 * it over 127.0.0.1 rather than start a second one on other ports (`verify` beside a running `tunnel`).
 * Mode 0600: the sandbox's keys (its own, not real ones) are in it, as they are in its state files.
 */
export const RUNNING_FILE = 'running.json';

export interface RunningSandboxInfo {
  /** The process the sandbox runs in. */
  pid: number;
  fusionauthUrl: string;
  publicUrlsAt: string;
  demoUser: { email: string; password: string };
  env: Record<string, string>;
  privateFusionAuth?: boolean;
}

/** A sandbox that another process runs, reached over HTTP. */
export interface JoinedSandbox extends Omit<RunningSandboxInfo, 'pid'> {
  /** The loopback URL that serves a public ngrok URL or host, as its cloud listed them on joining. */
  publicUrlFor(hostOrUrl: string): string | undefined;
}

const hostOf = (hostOrUrl: string): string => {
  const text = hostOrUrl.trim().toLowerCase();
  try {
    return text.includes('://') ? new URL(text).hostname : text.replace(/\/.*$/, '').replace(/:\d+$/, '');
  } catch {
    return text;
  }
};

/**
 * The sandbox that process `pid` runs from `dataDir`, reached over 127.0.0.1; undefined when that
 * process has not (or no longer) recorded one there.
 */
export async function joinSandbox(
  dataDir: string,
  pid: number,
  signal?: AbortSignal,
): Promise<JoinedSandbox | undefined> {
  let info: RunningSandboxInfo;
  try {
    info = JSON.parse(readFileSync(path.join(dataDir, RUNNING_FILE), 'utf8')) as RunningSandboxInfo;
  } catch {
    return undefined;
  }
  if (info.pid !== pid) return undefined;
  const response = await fetch(info.publicUrlsAt, {
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(5000)]) : AbortSignal.timeout(5000),
  });
  if (!response.ok) return undefined;
  const origins = (await response.json()) as Record<string, string>;
  return {
    fusionauthUrl: info.fusionauthUrl,
    publicUrlsAt: info.publicUrlsAt,
    demoUser: info.demoUser,
    env: info.env,
    privateFusionAuth: info.privateFusionAuth,
    publicUrlFor: (hostOrUrl) => origins[hostOf(hostOrUrl)],
  };
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
  const privateFusionAuth = options.privateFusionAuth ?? ports.privateFusionAuth ?? false;
  // The reach file is rewritten whenever the cloud's map changes, from the moment its folder (the
  // ngrok dir, known once startNgrok returns) and the demo login are known.
  let reach: { file?: string; publicUrls: Record<string, string>; login?: { email: string; password: string } } = {
    publicUrls: {},
  };
  const publish = () =>
    reach.file &&
    reach.login &&
    writeReachFile(reach.file, {
      publicUrls: reach.publicUrls,
      login: reach.login,
      ...(privateFusionAuth ? { privateFusionAuth } : {}),
    });
  const onPublicUrls = (urls: Record<string, string>) => {
    reach.publicUrls = urls;
    publish();
  };
  const start = async (preferred: Ports): Promise<[Idp, NgrokSandbox]> => {
    const idp = await startIdp({ port: preferred.idp, dataDir: dataDir && path.join(dataDir, 'idp'), tap });
    try {
      const ngrok = await startNgrok({
        port: preferred.ngrok,
        dataDir: dataDir && path.join(dataDir, 'ngrok'),
        edgesSunset: options.edgesSunset,
        plan: options.plan,
        privateIdp: privateFusionAuth,
        tap,
        onPublicUrls,
      });
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
  if (portsFile)
    writeFileSync(
      portsFile,
      JSON.stringify({
        idp: Number(new URL(idp.url).port),
        ngrok: Number(new URL(ngrok.apiUrl).port),
        ...(privateFusionAuth ? { privateFusionAuth } : {}),
      }),
    );
  const reachFile = path.join(ngrok.dir, REACH_FILE_NAME);
  reach = { ...reach, file: reachFile, login: { email: idp.demoUser.email, password: idp.demoUser.password } };
  publish();

  const env = {
    FUSIONAUTH_URL: idp.url,
    FUSIONAUTH_API_KEY: idp.apiKey,
    NGROK_API_URL: ngrok.apiUrl,
    NGROK_API_KEY: ngrok.apiKey,
    NGROK_BIN: ngrok.agentPath,
    NGROK_OIDC_REDIRECT_URI: ngrok.redirectUri,
  };
  const publicUrlsAt = `http://${ngrok.serverAddr}/_sandbox/public-urls`;
  const runningFile = dataDir && path.join(dataDir, RUNNING_FILE);
  if (runningFile) {
    const info: RunningSandboxInfo = {
      pid: process.pid,
      fusionauthUrl: idp.url,
      publicUrlsAt,
      demoUser: { email: idp.demoUser.email, password: idp.demoUser.password },
      env,
      ...(privateFusionAuth ? { privateFusionAuth } : {}),
    };
    writeFileSync(runningFile, JSON.stringify(info), { mode: 0o600 });
    chmodSync(runningFile, 0o600);
  }
  /** Removed on close, unless another process's sandbox has written its own meanwhile. */
  const forgetRunning = () => {
    if (!runningFile) return;
    try {
      if ((JSON.parse(readFileSync(runningFile, 'utf8')) as RunningSandboxInfo).pid === process.pid)
        rmSync(runningFile, { force: true });
    } catch {
      // gone, or not ours to judge
    }
  };

  return {
    fusionauth: { url: idp.url, apiKey: idp.apiKey, tenantId: idp.tenantId },
    ngrok: { apiUrl: ngrok.apiUrl, apiKey: ngrok.apiKey, authtoken: ngrok.authtoken },
    agentPath: ngrok.agentPath,
    publicUrlsAt,
    reachFile,
    redirectUri: ngrok.redirectUri,
    demoUser: { email: idp.demoUser.email, password: idp.demoUser.password },
    publicUrlFor: (hostOrUrl) => ngrok.publicUrlFor(hostOrUrl),
    privateFusionAuth,
    setEdgesSunset: (on) => ngrok.setEdgesSunset(on),
    setPlan: (plan) => ngrok.setPlan(plan),
    env: { ...env, [SANDBOX_REACH_ENV]: reachFile },
    async close() {
      // First, so that no reader is sent to ports that are about to close (with a data dir it would stay).
      reach.file = undefined;
      removeReachFile(reachFile);
      forgetRunning();
      await Promise.all([idp.close(), ngrok.close()]);
    },
  };
}
