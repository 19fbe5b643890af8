// The lifecycle root of `ngrok-fusionauth tunnel`: the live view of the supervised agent. q, Ctrl-C,
// SIGTERM and SIGHUP stop the agent and the site server gracefully; a second Ctrl-C kills them.
import { Box, useInput, useWindowSize } from 'ink';
import type { AgentSupervisor } from '../core/agent';
import { ExitCode } from '../core/errors';
import { Header } from './components/Header';
import { LiveView } from './components/LiveView';
import { runInkApp } from './ink-lifecycle';

type Exit = 'quit' | 'interrupted';

function TunnelApp({ supervisor, reach, sandbox, onExit }: { supervisor: AgentSupervisor; reach?(url: string): string | undefined; sandbox?: boolean; onExit(exit: Exit): void }) {
  useInput((text, key) => {
    if (key.ctrl && text === 'c') onExit('interrupted');
  });
  // Follows the terminal as it is resized, as Test It Out does.
  const { rows } = useWindowSize();
  return (
    <Box flexDirection="column" paddingX={1}>
      <Header title="ngrok-fusionauth tunnel" purpose="the site behind ngrok and FusionAuth" sandbox={sandbox} />
      <LiveView source={supervisor} reach={reach} logRows={Math.max(5, rows - 20)} onQuit={() => onExit('quit')} />
    </Box>
  );
}

export async function runTunnelView(supervisor: AgentSupervisor, options: { reach?(url: string): string | undefined; sandbox?: boolean }): Promise<number> {
  const exit = await runInkApp<Exit>((onExit) => <TunnelApp supervisor={supervisor} reach={options.reach} sandbox={options.sandbox} onExit={onExit} />, 'interrupted', () => supervisor.start());
  if (exit === 'interrupted') return ExitCode.interrupted;
  return supervisor.status.state.kind === 'failed' ? ExitCode.failed : ExitCode.ok;
}
