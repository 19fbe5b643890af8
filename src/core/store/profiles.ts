// Profiles: one setup per site, each with a store of its own under the config folder.
//
//   <config dir>/                  the default profile: today's layout, so existing setups keep working
//   <config dir>/profiles/<name>/  every other profile, laid out the same way
//
// Everything a command keeps beside its settings (the lock, the child registry, agent.log, the traffic
// policy, the site server's record, the sandbox's data dir with its ports) lives in the store's folder,
// so a profile's folder holds all of its own and two profiles share nothing but the parent.
// Imports no library: `status` (bundled on its own, docs/ARCHITECTURE.md "Performance") resolves the
// profile through this module.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAME, STEP_IDS, type StepId } from '../constants';
import { UsageError } from '../errors';
import { PROFILE_NAME, profileName } from '../validate';
import type { StoreData } from './schema';

/** The profile that lives directly in the config folder; `--profile default` names it too. */
export const DEFAULT_PROFILE = 'default';
export const PROFILES_DIR_NAME = 'profiles';
export const PROFILE_ENV = 'NGROK_FUSIONAUTH_PROFILE';

/** The profile named by the flag, else by NGROK_FUSIONAUTH_PROFILE, else the default one; a bad name is a usage error (exit 2). */
export function profileOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const [name, from] = flag !== undefined ? [flag, '--profile'] : [env[PROFILE_ENV] || undefined, PROFILE_ENV];
  if (name === undefined) return DEFAULT_PROFILE;
  const checked = profileName(name);
  if (!checked.ok) throw new UsageError(`${from}: ${checked.message}`, '(run with --help for usage)');
  return checked.value;
}

/** The folder of profile `name`'s store under the config folder `base`. */
export function profileDir(base: string, name: string): string {
  return name === DEFAULT_PROFILE ? base : path.join(base, PROFILES_DIR_NAME, name);
}

/** Profiles that hold a settings file, the default one first, then by name. Reads folder listings only. */
export function listProfiles(base: string): Array<{ name: string; dir: string }> {
  const found: Array<{ name: string; dir: string }> = [];
  const hasSettings = (dir: string) => {
    try {
      return readdirSync(dir).includes(CONFIG_FILE_NAME);
    } catch {
      return false;
    }
  };
  if (hasSettings(base)) found.push({ name: DEFAULT_PROFILE, dir: base });
  let names: string[] = [];
  try {
    names = readdirSync(path.join(base, PROFILES_DIR_NAME));
  } catch {
    // no profiles folder: only the default profile, if any
  }
  for (const name of names.filter((n) => n !== DEFAULT_PROFILE && PROFILE_NAME.test(n)).sort()) {
    const dir = profileDir(base, name);
    if (hasSettings(dir)) found.push({ name, dir });
  }
  return found;
}

/** Where a profile's setup stands, from its settings and the command that holds its lock (if any). */
export type ProfileState =
  | { kind: 'not-started' }
  | { kind: 'in-progress'; section: StepId }
  | { kind: 'done' }
  | { kind: 'tunnel-running'; pid: number };

/**
 * A running `tunnel` first (that is what a person looks for), then the first section of the guide
 * that is not done: Next Steps is optional, so a setup whose other sections are done is done.
 */
export function profileState(
  data: Pick<StoreData, 'steps'>,
  lockedBy?: { command: string; pid: number },
): ProfileState {
  if (lockedBy?.command === 'tunnel') return { kind: 'tunnel-running', pid: lockedBy.pid };
  const finished = (id: StepId) => ['done', 'skipped'].includes(data.steps[id]?.status ?? 'pending');
  if (!STEP_IDS.some((id) => data.steps[id]?.status === 'done')) return { kind: 'not-started' };
  const open = STEP_IDS.filter((id) => id !== 'next').find((id) => !finished(id));
  return open ? { kind: 'in-progress', section: open } : { kind: 'done' };
}

/** What another profile under the same config folder holds that this one must not share. */
export interface OtherProfile {
  name: string;
  sitePort?: number;
  /** The host name of its public URL (`my-site.ngrok.app`). */
  domain?: string;
}

/**
 * The other profiles under `base` and the site port and domain each has recorded, so that a profile
 * takes neither: two profiles' tunnels run side by side, each with its own site server, and two sites
 * never share a public URL. A plain read, without the store's checks: a damaged file of another profile
 * is that profile's to report (and to move aside), not this command's.
 */
export function otherProfilesOf(base: string, dir: string): OtherProfile[] {
  const others: OtherProfile[] = [];
  for (const profile of listProfiles(base)) {
    if (path.resolve(profile.dir) === path.resolve(dir)) continue;
    let values: { sitePort?: unknown; domain?: unknown } = {};
    try {
      const data = JSON.parse(readFileSync(path.join(profile.dir, CONFIG_FILE_NAME), 'utf8')) as {
        values?: typeof values;
      };
      values = data.values ?? {};
    } catch {
      // unreadable or damaged: what it holds is unknown, and the steps still refuse a port in use
    }
    others.push({
      name: profile.name,
      ...(typeof values.sitePort === 'number' ? { sitePort: values.sitePort } : {}),
      ...(typeof values.domain === 'string' ? { domain: values.domain.toLowerCase() } : {}),
    });
  }
  return others;
}

/**
 * The site port a profile is offered when nothing names one: one past the highest port the other
 * profiles have recorded (8000, 8001, 8002… as profiles are added, and next to a port a person chose
 * for another site), `fallback` (the guide's 8000) when none has; undefined means the fallback.
 */
export function defaultSitePortAmong(taken: ReadonlySet<number>, fallback: number): number | undefined {
  if (!taken.size) return undefined;
  let port = Math.max(...taken) + 1;
  if (port > 65_535) for (port = fallback; taken.has(port); port++);
  return port;
}
