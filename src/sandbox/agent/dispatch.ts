// The agent stand-in's commands (main.ts starts this): the agent's command line, configuration file,
// log lines and local API, connected to the sandbox cloud instead of ngrok's. See ../ngrok/protocol.ts
// for how it talks to the cloud.
import { standInVersion } from './version';
import { HELP, parseArgs, UsageError, type Command } from './cli';
import { fail } from './fail';
import { parseFault, type Fault } from './fault';
import { printError } from './log';

async function main(argv: string[]): Promise<void> {
  let command: Command;
  let fault: Fault;
  try {
    command = parseArgs(argv);
    fault = parseFault(process.env.NGROK_SANDBOX_FAULT);
    switch (command.kind) {
      case 'help':
        process.stdout.write(HELP);
        return;
      case 'version':
        process.stdout.write(`ngrok version ${standInVersion()}\n`);
        return;
      // Each command loads what it needs: `version`, which every preflight runs, then loads neither
      // the YAML parser nor node:http, the WebSocket client and undici (~45 ms of a ~85 ms start).
      case 'config-check':
        return (await import('./config-commands')).configCheck(command.flags);
      case 'config-add-authtoken':
        return (await import('./config-commands')).addAuthtoken(command.token, command.flags);
      default:
        return await (await import('./run')).runAgent(command, fault);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && error.message.startsWith('NGROK_SANDBOX_FAULT')))
      fail(error.message);
    throw error;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  printError(`unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
