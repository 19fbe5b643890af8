// The live view of `ngrok-fusionauth tunnel`, inside the command's lifecycle root: q, Ctrl-C, SIGTERM
// and SIGHUP end it, and the root stops the agent and the site server gracefully; a second Ctrl-C
// kills them.
import { Box, useInput, useWindowSize } from 'ink';
import type { AgentSupervisor } from '../core/agent';
import { ExitCode } from '../core/errors';
import { Header } from './components/Header';
import { LiveView } from './components/LiveView';
import { runInkApp, type InkRoot } from './ink-lifecycle';

type Exit = 'quit' | 'interrupted';

function TunnelApp({
  supervisor,
  publisher,
  reach,
  sandbox,
  onExit,
}: {
  supervisor: AgentSupervisor;
  publisher?: AgentSupervisor;
  reach?(url: string): string | undefined;
  sandbox?: boolean;
  onExit(exit: Exit): void;
}) {
  useInput((text, key) => {
    if (key.ctrl && text === 'c') onExit('interrupted');
  });
  // Follows the terminal as it is resized, as Test It Out does.
  const { rows } = useWindowSize();
  return (
    <Box flexDirection="column" paddingX={1}>
      <Header title="ngrok-fusionauth tunnel" purpose="the site behind ngrok and FusionAuth" sandbox={sandbox} />
      <LiveView
        source={supervisor}
        publisher={publisher}
        reach={reach}
        logRows={Math.max(5, rows - (publisher ? 21 : 20))}
        onQuit={() => onExit('quit')}
      />
    </Box>
  );
}

export async function runTunnelView(
  root: InkRoot,
  supervisor: AgentSupervisor,
  options: { reach?(url: string): string | undefined; sandbox?: boolean; publisher?: AgentSupervisor },
): Promise<ExitCode> {
  const { publisher } = options;
  const exit = await runInkApp<Exit>(
    root,
    (onExit) => (
      <TunnelApp
        supervisor={supervisor}
        publisher={publisher}
        reach={options.reach}
        sandbox={options.sandbox}
        onExit={onExit}
      />
    ),
    'interrupted',
    async () => {
      await Promise.all([supervisor.start(), publisher?.start()]);
    },
  );
  await publisher?.stop();
  if (exit === 'interrupted') return ExitCode.interrupted;
  return supervisor.status.state.kind === 'failed' ? ExitCode.failed : ExitCode.ok;
}
