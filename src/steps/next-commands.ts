// What to run once the setup is done: the last thing the wizard's last screen and `setup --no-input`
// say, so a finished setup never ends on "done" alone (gh and wrangler end with the next command).
// The commands are written the way this run was started (core/text/invocation.ts); in the sandbox the
// public URL is not reachable from a browser, so the loopback address of its stand-in cloud and the
// demo user of its FusionAuth are named too.
import { selfCommand } from '../core/text';
import type { Values } from '../core/store';
import type { StepContext } from './types';

export interface NextLine {
  /** What the line is for, as a label. */
  label: string;
  /** The command or value itself, to copy. */
  value: string;
  /** Why, or when: a few words after the value. */
  note?: string;
}

export function whatToRunNext(values: Values, ctx: Pick<StepContext, 'reach' | 'sandboxLogin'>): NextLine[] {
  const url = values.endpointUrl;
  const lines: NextLine[] = [
    { label: 'Start the tunnel', value: selfCommand('tunnel'), note: 'serves the site behind the login' },
    { label: 'Check the login', value: selfCommand('verify'), note: 'proves that strangers are sent to log in' },
  ];
  if (url) lines.push({ label: 'Public URL', value: url, note: 'open it while the tunnel runs' });
  const here = url && ctx.sandboxLogin ? ctx.reach?.(url) : undefined;
  if (here)
    lines.push({
      label: 'In the sandbox',
      value: here,
      note: 'the public URL at its loopback address here: only this machine can open it',
    });
  if (ctx.sandboxLogin)
    lines.push({
      label: 'Demo login',
      value: `${ctx.sandboxLogin.email} / ${ctx.sandboxLogin.password}`,
      note: "the sandbox FusionAuth's user",
    });
  lines.push({ label: 'Everything stored', value: selfCommand('status'), note: 'secrets masked' });
  return lines;
}
