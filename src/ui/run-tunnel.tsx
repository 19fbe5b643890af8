// The live view of `ngrok-fusionauth tunnel`, inside the command's lifecycle root: q, Ctrl-C, SIGTERM
// and SIGHUP end it, and the root stops the agent and the site server gracefully; a second Ctrl-C
// kills them.
import { useInput } from 'ink';
import type { AgentSupervisor } from '../core/agent';
import { ExitCode } from '../core/errors';
import { LiveView } from './components/LiveView';
import { runInkApp, type InkRoot } from './ink-lifecycle';
import { ShellProvider } from './layout/shell-context';

type Exit = 'quit' | 'interrupted';

function TunnelApp({
  supervisor,
  reach,
  sandbox,
  onExit,
}: {
  supervisor: AgentSupervisor;
  reach?(url: string): string | undefined;
  sandbox?: boolean;
  onExit(exit: Exit): void;
}) {
  useInput((text, key) => {
    if (key.ctrl && text === 'c') onExit('interrupted');
  });
  // The frame follows the terminal as it is resized (components/Screen.tsx), as Test It Out does.
  return (
    <ShellProvider
      value={{ title: 'ngrok-fusionauth tunnel', purpose: 'the site behind ngrok and FusionAuth', sandbox }}
    >
      <LiveView title="Tunnel" source={supervisor} reach={reach} onQuit={() => onExit('quit')} />
    </ShellProvider>
  );
}

export async function runTunnelView(
  root: InkRoot,
  supervisor: AgentSupervisor,
  options: { reach?(url: string): string | undefined; sandbox?: boolean },
): Promise<ExitCode> {
  const exit = await runInkApp<Exit>(
    root,
    (onExit) => <TunnelApp supervisor={supervisor} reach={options.reach} sandbox={options.sandbox} onExit={onExit} />,
    'interrupted',
    () => supervisor.start(),
  );
  if (exit === 'interrupted') return ExitCode.interrupted;
  return supervisor.status.state.kind === 'failed' ? ExitCode.failed : ExitCode.ok;
}
