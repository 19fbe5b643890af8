// The profile picker on its own, before the wizard's lifecycle root opens a store: which store the
// command works on is what it answers. It starts nothing, so its own small root is enough: Ctrl-C (a
// key in raw mode) ends it as `interrupted`, and Ink's lifecycle (ink-lifecycle.tsx) unmounts it.
import type { RenderOptions } from 'ink';
import { runInkApp } from './ink-lifecycle';
import { ProfilePicker, type ProfileChoiceRow, type ProfilePick } from './screens/ProfilePicker';

export type { ProfileChoiceRow, ProfilePick };

export async function pickProfile(
  configDir: string,
  rows: readonly ProfileChoiceRow[],
  streams?: Pick<RenderOptions, 'stdout' | 'stdin' | 'stderr' | 'debug' | 'patchConsole'>,
): Promise<ProfilePick> {
  const stop = new AbortController();
  return runInkApp<ProfilePick>(
    { signal: stop.signal, interrupt: () => stop.abort() },
    (exit) => <ProfilePicker configDir={configDir} rows={rows} onChoose={exit} />,
    'interrupted',
    undefined,
    streams,
  );
}
