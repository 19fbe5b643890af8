// argv → a command. Imports Ink only for interactive commands, lazily, so `--version`, `--help` and
// `status` start fast (docs/ARCHITECTURE.md, "Performance").
// The three most frequent calls (`--version`, `status [--json]`, and the wizard with no argument) have
// nothing to parse, so they skip commander (~12 ms to load); every other call is parsed by it.
import { ExitCode, UserError, describeError } from './core/errors';
import pkg from '../package.json' with { type: 'json' };

// chalk (under Ink) ignores NO_COLOR; FORCE_COLOR=0 is what it honours.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

/** The command for a call that has nothing to parse, or undefined to let commander parse it. */
function fastRoute(args: string[]): (() => Promise<number>) | undefined {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    return async () => {
      process.stdout.write(`${pkg.version}\n`);
      return ExitCode.ok;
    };
  }
  if (args[0] === 'status' && (args.length === 1 || (args.length === 2 && args[1] === '--json'))) {
    const json = args.length === 2;
    return async () => (await import('./commands/status')).statusCommand({}, { json });
  }
  if (args.length === 0) return async () => (await import('./commands/setup')).setupCommand({}, { noInput: false });
  return undefined;
}

async function parseAndRun(argv: string[]): Promise<number> {
  const [commander, { buildProgram }] = await Promise.all([import('commander'), import('./program')]);
  const program = buildProgram(commander);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    // --help and --version "fail" with exit code 0; every other parse error is a usage error.
    if (error instanceof commander.CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await (fastRoute(argv.slice(2)) ?? (() => parseAndRun(argv)))();
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`error: ${describeError(error)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`error: unexpected failure: ${describeError(error)}\n`);
    if (process.env.NGROK_FUSIONAUTH_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    else process.stderr.write('Set NGROK_FUSIONAUTH_DEBUG=1 for details, and please report it.\n');
    return ExitCode.failed;
  }
}

process.exitCode = await main(process.argv);
