// The lifecycle root of `ngrok-fusionauth tunnel`: the live view of the supervised agent. q, Ctrl-C,
// SIGTERM and SIGHUP stop the agent and the site server gracefully; a second Ctrl-C kills them.
import { Box, Text, render, useInput, useWindowSize } from 'ink';
import type { AgentSupervisor } from '../core/agent';
import { ExitCode } from '../core/errors';
import { killAll, runningProcesses, stopAll } from '../core/processes';
import { onStopSignal } from '../core/signals';
import { LiveView } from './components/LiveView';

type Exit = 'quit' | 'interrupted';

function TunnelApp({ supervisor, reach, sandbox, onExit }: { supervisor: AgentSupervisor; reach?(url: string): string | undefined; sandbox?: boolean; onExit(exit: Exit): void }) {
  useInput((text, key) => {
    if (key.ctrl && text === 'c') onExit('interrupted');
  });
  // Follows the terminal as it is resized, as Test It Out does.
  const { rows } = useWindowSize();
  return (
    <Box flexDirection="column" paddingX={1}>
      <Box marginBottom={1}>
        <Text bold>ngrok-fusionauth tunnel</Text>
        <Text dimColor> · the site behind ngrok and FusionAuth{sandbox ? ' · sandbox' : ''}</Text>
      </Box>
      <LiveView source={supervisor} reach={reach} logRows={Math.max(5, rows - 20)} onQuit={() => onExit('quit')} />
    </Box>
  );
}

export async function runTunnelView(supervisor: AgentSupervisor, options: { reach?(url: string): string | undefined; sandbox?: boolean }): Promise<number> {
  let resolveExit!: (exit: Exit) => void;
  const exited = new Promise<Exit>((resolve) => (resolveExit = resolve));
  // The first stop signal ends the view; a second one (Ctrl-C again) kills the children at once.
  const offSignals = onStopSignal((_signal, count) => (count === 0 ? resolveExit('interrupted') : killAll()));

  const instance = render(<TunnelApp supervisor={supervisor} reach={options.reach} sandbox={options.sandbox} onExit={resolveExit} />, { exitOnCtrlC: false });
  await supervisor.start().catch(() => undefined);
  const exit = await exited;
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);

  // Ctrl-C is a key while the view runs (raw mode); from here on it is a signal again: it forces.
  const offForce = onStopSignal(() => killAll());
  const children = runningProcesses().length;
  if (children) process.stderr.write(`\nStopping ${children} process${children > 1 ? 'es' : ''} (Ctrl-C again to force)…\n`);
  await stopAll();
  offForce();
  offSignals();
  if (exit === 'interrupted') return ExitCode.interrupted;
  return supervisor.status.state.kind === 'failed' ? ExitCode.failed : ExitCode.ok;
}
