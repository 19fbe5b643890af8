// Every command line this tool prints for a person to run next ("run `ngrok-fusionauth tunnel`") is
// written the way this run was started, so that pasting it works: after `npx ngrok-fusionauth` a bare
// `ngrok-fusionauth …` is "command not found". One function, `selfCommand`, turns the tail of a
// command line into the line to show; the launcher is found once, from this process's own argv and
// environment, and the global options that change what a command works on (`--config-dir`, the
// sandbox) are kept.
import path from 'node:path';
import { shellCommand } from './shell';

/** The name of the package's bin (package.json "bin"), and of the file the launcher is. */
export const BIN_NAME = 'ngrok-fusionauth';
const BIN_FILE = `${BIN_NAME}.js`;

/** The commands that take `--sandbox` (src/program.ts): the empty tail is the default command, setup. */
const SANDBOX_COMMANDS = new Set(['', 'setup', 'tunnel', 'verify', 'destroy']);

export interface LaunchFacts {
  /** process.argv[1]: the script node runs, as given (node resolves it, but keeps a symlink's own path). */
  script: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * How this process was started, as the words to type before the command:
 * - `npx ngrok-fusionauth`: run by npx (npm exec). npm sets `npm_command` to the npm command it runs
 *   (npm/cli lib/npm.js: `process.env.npm_command = this.command`, "exec" for npx) and runs the bin
 *   with the lifecycle event "npx" (npm/cli workspaces/libnpmexec/lib/run-script.js, `event: 'npx'`,
 *   which @npmcli/run-script exports as `npm_lifecycle_event`: docs/content/using-npm/scripts.md); a
 *   package npx fetched lives in npm's cache under `_npx/<hash>/node_modules` (libnpmexec's index.js).
 *   A bin in a project's own node_modules is not on a shell's PATH either: npx runs it.
 * - `ngrok-fusionauth`: the bin on PATH (a global install links it there: npm docs, "folders", bin).
 * - `node bin/ngrok-fusionauth.js`: the launcher run by node from a clone; the path relative to the
 *   current folder when it is below it, else absolute.
 * Anything else (this code loaded by a test runner or another program) shows the bin's name.
 */
export function launcherWords({ script, env, cwd }: LaunchFacts): string[] {
  const npx = ['npx', BIN_NAME];
  const parts = path.resolve(cwd, script ?? '').split(/[\\/]/);
  const base = parts.at(-1);
  // Not our launcher: this code runs inside another program (a test runner), whose npm markers are not ours.
  if (!script || (base !== BIN_NAME && base !== BIN_FILE)) return [BIN_NAME];
  if (env.npm_command === 'exec' || env.npm_lifecycle_event === 'npx' || parts.includes('_npx')) return npx;
  if (base === BIN_NAME) {
    // A link in node_modules/.bin is a local install (npm run and npx put that folder on PATH, a shell does not).
    if (parts.at(-2) === '.bin' && parts.at(-3) === 'node_modules') return npx;
    const dirs = (env.PATH ?? '').split(path.delimiter).map((d) => path.resolve(d));
    return dirs.includes(path.dirname(path.resolve(cwd, script))) ? [BIN_NAME] : [path.resolve(cwd, script)];
  }
  if (parts.at(-2) !== 'bin') return [BIN_NAME];
  // The launcher itself inside an installed package: a local dependency is npx's to run.
  if (parts.at(-4) === 'node_modules') return parts.at(-5) === 'lib' || parts.at(-5) === 'npm' ? [BIN_NAME] : npx;
  const relative = path.relative(cwd, path.resolve(cwd, script));
  return ['node', relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : script];
}

/** The options of this run that a printed command must keep to work on the same setup. */
export interface KeptOptions {
  /** `--config-dir`, absolute, so that the line works from any folder. */
  configDir?: string;
  sandbox?: boolean;
}

/**
 * The kept options, read from this process's argv as src/cli.ts reads the global ones (`--config-dir D`
 * or `--config-dir=D`, before or after the command); read here, when a line is printed, so that the
 * entry point loads nothing for it.
 */
export function keptOptionsOf(args: readonly string[]): KeptOptions {
  const kept: KeptOptions = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === '--sandbox') kept.sandbox = true;
    const value = arg === '--config-dir' ? args[++i] : arg.startsWith('--config-dir=') ? arg.slice(13) : undefined;
    if (value) kept.configDir = path.resolve(value);
  }
  return kept;
}

let launcher: string[] | undefined;
let kept: KeptOptions | undefined;

/** For tests: lines as if this process had been started with `words` and `options`; undefined to detect again. */
export function setInvocationForTests(words: string[] | undefined, options?: KeptOptions): void {
  launcher = words;
  kept = options;
}

/**
 * The command line to show for `tail` (`['tunnel']`, `['setup', '--ngrok-mode', 'endpoint']`, `[]`
 * for the wizard), every word quoted for a POSIX shell (shell.ts).
 */
export function selfCommand(...tail: string[]): string {
  launcher ??= launcherWords({ script: process.argv[1], env: process.env, cwd: process.cwd() });
  kept ??= keptOptionsOf(process.argv.slice(2));
  const words = [...launcher, ...tail];
  if (kept.sandbox && SANDBOX_COMMANDS.has(tail[0] ?? '') && !tail.includes('--sandbox')) words.push('--sandbox');
  if (kept.configDir !== undefined) words.push('--config-dir', kept.configDir);
  return shellCommand(words);
}

/** `selfCommand` in backquotes, as the texts around it write a command. */
export const selfCommandQuoted = (...tail: string[]): string => `\`${selfCommand(...tail)}\``;
