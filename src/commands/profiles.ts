// `profiles [--json]`: the setups kept under the config folder (the default one and one per
// `--profile NAME`), each with where it stands and its public URL. Read-only, like `status`: it takes
// no lock and starts nothing; a running tunnel is read from the profile's lock (core/process).
import { lockHolder } from '../core/process';
import { baseConfigDirOf, listProfiles, profileState, readStoreFile, type ProfileState } from '../core/store';
import { UserError, describeError } from '../core/errors';
import { sanitizeDeep, sanitizeLine, terminalJson } from '../core/text';
import { SECTION_TITLES } from '../steps/catalog';
import type { GlobalOptions } from './global-options';

interface ProfileRow {
  name: string;
  dir: string;
  state: ProfileState['kind'] | 'unreadable';
  /** The first section not done, for `in-progress`. */
  section?: string;
  /** The `tunnel` command's pid, for `tunnel-running`. */
  pid?: number;
  publicUrl: string | null;
  /** Why the settings could not be read, for `unreadable`. */
  problem?: string;
}

/** A profile's row; undefined for settings that hold nothing (what `destroy` and `reset` leave): no setup is kept there. */
function rowOf(name: string, dir: string): ProfileRow | undefined {
  let data;
  try {
    data = readStoreFile(dir);
  } catch (error) {
    // A damaged file is one profile's problem (moved aside, as `status` does): the others are still listed.
    if (!(error instanceof UserError)) throw error;
    return { name, dir, state: 'unreadable', publicUrl: null, problem: describeError(error) };
  }
  const holder = lockHolder(dir);
  const empty = [data.values, data.created, data.steps].every((part) => Object.keys(part).length === 0);
  if (empty && !holder) return undefined;
  const state = profileState(data, holder);
  return {
    name,
    dir,
    state: state.kind,
    ...(state.kind === 'in-progress' ? { section: state.section } : {}),
    ...(state.kind === 'tunnel-running' ? { pid: state.pid } : {}),
    publicUrl: data.values.endpointUrl ?? null,
  };
}

/** The state in words: "in progress at Set Up FusionAuth", "tunnel running (pid 123)". */
function stateText(row: ProfileRow): string {
  switch (row.state) {
    case 'not-started':
      return 'not started';
    case 'in-progress':
      return `in progress at ${SECTION_TITLES[row.section as keyof typeof SECTION_TITLES] ?? row.section}`;
    case 'done':
      return 'done';
    case 'tunnel-running':
      return `tunnel running (pid ${row.pid})`;
    case 'unreadable':
      return `unreadable: ${row.problem}`;
  }
}

/** Every setup kept under the config folder `base`, as `profiles` lists it (and the wizard's picker offers it). */
export function profileRows(base: string): ProfileRow[] {
  return listProfiles(base)
    .map(({ name, dir }) => rowOf(name, dir))
    .filter((row) => row !== undefined);
}

/** A row's state as the picker shows it. */
export const profileStateText = (row: ProfileRow): string => sanitizeLine(stateText(row));

export async function profilesCommand(globals: GlobalOptions, options: { json?: boolean }): Promise<number> {
  const base = baseConfigDirOf(globals.configDir);
  const rows = profileRows(base);
  if (options.json) {
    // Values read back from files anyone may edit: every string sanitised, the rest escaped.
    process.stdout.write(`${terminalJson(sanitizeDeep({ configDir: base, profiles: rows }), 2)}\n`);
    return 0;
  }
  if (!rows.length) {
    process.stdout.write(
      `No setups yet in ${base}: run \`ngrok-fusionauth\` to start one (--profile NAME for one of several sites).\n`,
    );
    return 0;
  }
  const table = rows.map((r) => [r.name, sanitizeLine(stateText(r)), sanitizeLine(r.publicUrl ?? '–')] as const);
  const head = ['PROFILE', 'STATE', 'PUBLIC URL'] as const;
  const width = (i: 0 | 1) => Math.max(head[i].length, ...table.map((r) => r[i].length));
  const line = (cells: readonly string[]) =>
    `  ${cells[0]!.padEnd(width(0))}  ${cells[1]!.padEnd(width(1))}  ${cells[2]}`;
  process.stdout.write(
    [
      `Setups in ${base}:`,
      '',
      line(head),
      ...table.map(line),
      '',
      'Work on one with --profile NAME (the default one needs no flag).',
      '',
    ].join('\n'),
  );
  return 0;
}
