// `tunnel [--no-tui] [--sandbox]`: the site server and the agent of the stored setup, supervised, with
// the live view; without a TTY (or with --no-tui) plain lines, ending with the agent's status:
// 0 when stopped, 1 when it failed, 130 when interrupted. No child process outlives the command.
import { AgentSupervisor, type AgentState } from '../core/agent';
import { ExitCode } from '../core/errors';
import { killAll, stopAll } from '../core/process';
import { onStopSignal } from '../core/process';
import { plainLine, plainState } from '../core/text';
import { tunnelPlan } from '../core/tunnel';
import type { GlobalOptions } from './global-options';
import { openStore } from './open-store';
import { usesSandbox, withStoreSandbox, type BaseContext } from './sandbox-context';

export interface TunnelOptions {
  /** commander's --no-tui */
  tui: boolean;
  sandbox?: boolean;
}

export async function tunnelCommand(globals: GlobalOptions, options: TunnelOptions): Promise<number> {
  const store = openStore(globals);
  const base: BaseContext = { store, options: { sandbox: options.sandbox }, env: { ...process.env } };
  const run = async (ctx: BaseContext) => {
    const supervisor = new AgentSupervisor(tunnelPlan({ ...ctx, signal: new AbortController().signal }));
    if (options.tui && process.stdout.isTTY && process.stdin.isTTY) {
      const { runTunnelView } = await import('../ui/run-tunnel');
      return runTunnelView(supervisor, { reach: ctx.reach, sandbox: usesSandbox(ctx) });
    }
    return runPlain(supervisor);
  };
  return usesSandbox(base) ? withStoreSandbox(base, run) : run(base);
}

async function runPlain(supervisor: AgentSupervisor): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  supervisor.onLine((line) => out(plainLine(line)));
  let last: AgentState['kind'] | undefined;
  supervisor.onStatus((status) => {
    if (status.state.kind === last) return;
    last = status.state.kind;
    if (status.state.kind === 'failed') process.stderr.write(`${plainState(status.state)}\n`);
    else out(plainState(status.state));
  });

  let interrupted = false;
  const offSignals = onStopSignal((_signal, count) => {
    if (count > 0) return killAll();
    interrupted = true;
    process.stderr.write('Stopping the agent and the site server (Ctrl-C again to force)…\n');
    void supervisor.stop();
  });
  try {
    await supervisor.start().catch(() => undefined);
    const final = await supervisor.done;
    await stopAll();
    if (interrupted) return ExitCode.interrupted;
    return final.kind === 'failed' ? ExitCode.failed : ExitCode.ok;
  } finally {
    offSignals();
  }
}
