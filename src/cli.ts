// argv → a command. Imports Ink only for interactive commands, lazily, so `--version`, `--help` and
// `status` start fast (docs/ARCHITECTURE.md, "Performance").
// The three most frequent calls (`--version`, `status [--json]`, and the wizard with no argument) have
// nothing to parse but the global options, so they skip commander (~12 ms to load) in every argv form
// commander would take them in; every other call, and any form of these that is not plain, is parsed
// by commander, whose messages and exit codes are the contract for it.
import type { GlobalOptions } from './commands/global-options';
import { ExitCode, UserError, describeError } from './core/errors';
import pkg from '../package.json' with { type: 'json' };

// chalk (under Ink) ignores NO_COLOR; FORCE_COLOR=0 is what it honours.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

/** The program-level options of src/program.ts that take a value, by the GlobalOptions key they set; the quick route reads them itself. */
const GLOBAL_OPTIONS = { '--config-dir': 'configDir', '--profile': 'profile' } as const;
type GlobalFlag = keyof typeof GLOBAL_OPTIONS;

/** `--profile P` → ['--profile', 'P'] (the value next), `--profile=P` → ['--profile', 'P'], anything else → undefined. */
function globalOption(arg: string, next: string | undefined): [GlobalFlag, string | undefined, number] | undefined {
  for (const flag of Object.keys(GLOBAL_OPTIONS) as GlobalFlag[]) {
    if (arg === flag) return [flag, next, 2];
    if (arg.startsWith(`${flag}=`)) return [flag, arg.slice(flag.length + 1), 1];
  }
  return undefined;
}

/**
 * The global options taken out of `args` (before or after the command, `--config-dir D` or
 * `--config-dir=D`, the same for `--profile`), and what is left. Undefined when a global option is in
 * a form whose meaning is commander's to tell: no value, an empty or blank one or one that starts with a dash
 * (which commander would take as the value), given twice.
 */
function withoutGlobalOptions(args: string[]): { globals: GlobalOptions; rest: string[] } | undefined {
  const globals: GlobalOptions = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length;) {
    const option = globalOption(args[i]!, args[i + 1]);
    if (!option) {
      rest.push(args[i++]!);
      continue;
    }
    const [flag, value, used] = option;
    const key = GLOBAL_OPTIONS[flag];
    // Blank counts as empty (`--config-dir "  "`): commander's parser refuses both with exit 2.
    if (!value?.trim() || value.startsWith('-') || globals[key] !== undefined) return undefined;
    globals[key] = value;
    i += used;
  }
  return { globals, rest };
}

/** The command for a call that has nothing to parse but global options, or undefined to let commander parse it. */
function fastRoute(args: string[]): (() => Promise<number>) | undefined {
  const call = withoutGlobalOptions(args);
  if (!call) return undefined;
  const { globals, rest } = call;
  if (rest.length === 1 && (rest[0] === '--version' || rest[0] === '-v')) {
    return async () => {
      process.stdout.write(`${pkg.version}\n`);
      return ExitCode.ok;
    };
  }
  if (rest[0] === 'status' && (rest.length === 1 || (rest.length === 2 && rest[1] === '--json'))) {
    const json = rest.length === 2;
    return async () => (await import('./commands/status')).statusCommand(globals, { json });
  }
  if (rest.length === 0)
    return async () => (await import('./commands/setup')).setupCommand(globals, { noInput: false });
  return undefined;
}

async function parseAndRun(argv: string[]): Promise<number> {
  const [commander, { buildProgram }] = await Promise.all([import('commander'), import('./program')]);
  const program = buildProgram(commander, pkg.version);
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
