// `tunnel [--no-tui] [--sandbox]`: the site server and the agent of the stored setup, supervised, with
// the live view; without a TTY (or with --no-tui) plain lines, ending with the agent's status:
// 0 when stopped, 1 when it failed, 130 when interrupted, 0 when the reader of the lines went away.
// The lifecycle root (lifecycle.ts) stops every child process whatever happens.
import { AgentSupervisor, type AgentState } from '../core/agent';
import { ExitCode } from '../core/errors';
import { plainLine, plainPublisherState, plainState } from '../core/text';
import { fusionauthPublisher, tunnelPlan } from '../core/tunnel';
import type { GlobalOptions } from './global-options';
import { runCommand, type CommandContext } from './lifecycle';
import { usesSandbox } from './sandbox-context';

export interface TunnelOptions {
  /** commander's --no-tui */
  tui: boolean;
  sandbox?: boolean;
}

export async function tunnelCommand(globals: GlobalOptions, options: TunnelOptions): Promise<number> {
  return runCommand(globals, {
    command: 'tunnel',
    whenBusy: 'fail',
    options: { sandbox: options.sandbox },
    async run(ctx) {
      const supervisor = new AgentSupervisor(tunnelPlan(ctx));
      // FusionAuth on this machine published through ngrok: its agent runs beside the site's.
      const publisher = fusionauthPublisher(ctx);
      if (options.tui && process.stdout.isTTY && process.stdin.isTTY) {
        const { runTunnelView } = await import('../ui/run-tunnel');
        return runTunnelView(ctx, supervisor, { reach: ctx.reach, sandbox: usesSandbox(ctx), publisher });
      }
      return runPlain(ctx, supervisor, publisher);
    },
  });
}

async function runPlain(
  ctx: CommandContext,
  supervisor: AgentSupervisor,
  publisher: AgentSupervisor | undefined,
): Promise<ExitCode> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  supervisor.onLine((line) => out(plainLine(line)));
  if (publisher) {
    publisher.onLine((line) => out(plainLine(line)));
    let said: AgentState['kind'] | undefined;
    publisher.onStatus((status) => {
      if (status.state.kind === said) return;
      said = status.state.kind;
      const line = plainPublisherState(status.state);
      if (status.state.kind === 'failed') process.stderr.write(`${line}\n`);
      else out(line);
    });
  }
  let last: AgentState['kind'] | undefined;
  supervisor.onStatus((status) => {
    if (status.state.kind === last) return;
    last = status.state.kind;
    if (status.state.kind === 'failed') process.stderr.write(`${plainState(status.state)}\n`);
    else out(plainState(status.state));
  });

  // The root's abort stops the agent and the site server gracefully (a second Ctrl-C kills them). A
  // closed output stops quietly: only a person's Ctrl-C is told what stopping does.
  const offInterrupt = ctx.onInterrupt(() =>
    process.stderr.write('Stopping the agent and the site server (Ctrl-C again to force)…\n'),
  );
  const stop = () => void Promise.all([supervisor.stop(), publisher?.stop()]);
  if (ctx.signal.aborted) stop();
  else ctx.signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all([supervisor.start().catch(() => undefined), publisher?.start().catch(() => undefined)]);
    const final = await supervisor.done;
    await publisher?.stop();
    return final.kind === 'failed' ? ExitCode.failed : ExitCode.ok;
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    offInterrupt();
  }
}
