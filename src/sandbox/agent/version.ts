// The version the agent stand-in is, and what that version can do, in the versions ngrok's changelog
// names (https://ngrok.com/docs/agent/changelog, agent/changelog.mdx in github.com/ngrok/ngrok-docs).
// NGROK_SANDBOX_AGENT_VERSION makes it an older agent (the guide's 3.1.0), so that what the wizard
// says about old agents is tested against one that behaves like them.
import { AGENT_VERSION } from '../ngrok/protocol';

export const FEATURE_SINCE = {
  /** 3.0.0: "Added the ability to start Labeled Tunnels to the agent". */
  labeledTunnels: '3.0.0',
  /** 3.12.1: "Added `--traffic-policy-file` flag". */
  trafficPolicyFile: '3.12.1',
  /** 3.16.0 (3.15.0 was unstable): "Added `--url` agent CLI flag", "`endpoints:`", config version 3. */
  url: '3.16.0',
  configV3: '3.16.0',
} as const;

export type Feature = keyof typeof FEATURE_SINCE;

export function standInVersion(env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env.NGROK_SANDBOX_AGENT_VERSION;
  return wanted && /^\d+\.\d+\.\d+$/.test(wanted) ? wanted : AGENT_VERSION;
}

/** -1, 0 or 1, comparing dotted numbers part by part. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function supports(feature: Feature, version = standInVersion()): boolean {
  return compareVersions(version, FEATURE_SINCE[feature]) >= 0;
}
