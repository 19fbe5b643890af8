// What one run of a command works with: the store, the options it was given, the environment, the
// abort signal of the lifecycle root, and (in the sandbox) how this machine reaches public URLs.
// Steps, the tunnel and destroy all take it; commands build it (src/commands/lifecycle.ts).
import type { NgrokMode, Store } from './store';

export interface SetupOptions {
  sandbox?: boolean;
  noInput?: boolean;
  ngrokMode?: NgrokMode;
  fusionauthUrl?: string;
  fusionauthApiKeyFile?: string;
  ngrokApiKeyFile?: string;
  siteDir?: string;
  port?: number;
  /** `--url`: the public URL the site gets (validated as typed input is); the ngrok step starts from it. */
  url?: string;
  /** `--keep-issuer`: the tenant's issuer is never changed; Set Up FusionAuth fails with the fix instead. */
  keepIssuer?: boolean;
  /**
   * `--use-existing` / `--create-new`: what to do with an object another setup of this tool made (its
   * mark names another setup id): use it and leave it theirs, or make this setup its own.
   */
  othersObjects?: 'use' | 'new';
}

export interface RunContext {
  store: Store;
  options: SetupOptions;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /**
   * The address this machine uses to reach a public ngrok URL: the URL itself, or in the sandbox the
   * loopback port of its stand-in cloud (`https://x.ngrok.app` → `http://127.0.0.1:PORT`).
   */
  reach?(publicUrl: string): string | undefined;
  /** Only in the sandbox: its demo user, so Test It Out can log in and see the page. */
  sandboxLogin?: { email: string; password: string };
  /**
   * The tunnel being checked runs in this process (Test It Out's screen): an endpoint no agent serves
   * is then its failure, not a tunnel stopped on exit (src/steps/test-it-out.ts).
   */
  tunnelRunsHere?: boolean;
  /**
   * The site port to offer when neither `--port` nor the store names one: one past the highest that
   * another profile under the config folder has recorded (core/store/profiles.ts), so that two
   * profiles' tunnels never share a site port. Undefined: the documented default, 8000.
   */
  defaultSitePort?: number;
  /** `--profile NAME` (core/store/profiles.ts); undefined for the default profile. */
  profile?: string;
  /**
   * The domains other profiles under the config folder hold (host name → profile): two sites never
   * share a public URL, so the ngrok step neither picks nor accepts one of these.
   */
  domainsOfOtherProfiles?: ReadonlyMap<string, string>;
}
