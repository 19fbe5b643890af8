// The command line as commander parses it: every command, its options and their checks. Loaded only
// for calls that have something to parse (see fastRoute in cli.ts).
import type { Command } from 'commander';
import type { GlobalOptions } from './commands/global-options';
import { EXPORT_FORMATS, NGROK_MODES, type ExportFormat, type NgrokMode } from './core/constants';
import { UsageError } from './core/errors';
import { fusionauthUrl, port as validatePort, profileName, publicUrl, type Validation } from './core/validate';
import type { SetupOptions } from './steps/types';

type Commander = typeof import('commander');

/** A flag's value checked by the validator the wizard's field uses: the same sentence either way. */
function parsed<T>(commander: Commander, result: Validation<T>): T {
  if (!result.ok) throw new commander.InvalidArgumentError(result.message);
  return result.value;
}

/**
 * An empty value is a mistake (an unset shell variable: `--config-dir "$DIR"`), not a folder:
 * path.resolve('') is the current folder, where the settings would then be written unnoticed.
 */
function parseConfigDir(commander: Commander, text: string): string {
  if (!text.trim())
    throw new commander.InvalidArgumentError(
      '--config-dir is empty: name a folder (or leave the option out for the default one).',
    );
  return text;
}

/**
 * A URL flag's value, checked like `parsed`, but refused with our usage error rather than commander's
 * InvalidArgumentError: commander quotes the refused argument back ("argument 'https://admin:s3cret@…'
 * is invalid"), and a URL may carry a password. Ours (exit 2, printed by cli.ts) names the option and
 * what is wrong, never the value.
 */
function parsedUrl<T>(flag: string, result: Validation<T>): T {
  if (!result.ok) throw new UsageError(`${flag}: ${result.message}`, '(run with --help for usage)');
  return result.value;
}

/** `version`: the package's, which cli.ts has at hand (package.json bundled once, into cli.js alone). */
export function buildProgram(commander: Commander, version: string): Command {
  const { Command, Option } = commander;
  const program = new Command('ngrok-fusionauth')
    .description('Protect a local website behind ngrok with FusionAuth as the OpenID Connect login.')
    .version(version, '-v, --version')
    .option('--config-dir <dir>', 'where the settings live (env NGROK_FUSIONAUTH_CONFIG_DIR)', (text) =>
      parseConfigDir(commander, text),
    )
    .option(
      '--profile <name>',
      'one setup per site: its settings under <config dir>/profiles/<name> (env NGROK_FUSIONAUTH_PROFILE)',
      (text) => parsed(commander, profileName(text)),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // A mistyped command (`stauts`) would otherwise go to the default command, setup, as an operand,
    // and be refused as "too many arguments for 'setup'". Commander suggests the nearest command only
    // for a program without a default (command.js, _parseCommand → unknownCommand, which
    // showSuggestionAfterError, on by default, feeds), so an operand meant for setup that names no
    // command is called what it is before setup runs: "unknown command 'stauts' (Did you mean status?)".
    .hook('preSubcommand', (thisCommand, actionCommand) => {
      const first = thisCommand.args[0];
      if (actionCommand.name() === 'setup' && first !== undefined && first !== 'setup' && !first.startsWith('-'))
        // Not in commander's typings, but the method its own parser calls; test/commands/cli.test.ts pins it.
        (thisCommand as Command & { unknownCommand(): never }).unknownCommand();
    });

  const setup = program
    .command('setup', { isDefault: true })
    .description('the wizard; resumes a half-finished setup')
    .option('--sandbox', 'use the local stand-ins instead of real accounts')
    .option('--no-input', 'never prompt: take everything from flags, env and the stored settings')
    .addOption(new Option('--ngrok-mode <mode>', 'how ngrok protects the site').choices(NGROK_MODES))
    .option('--fusionauth-url <url>', 'your FusionAuth instance (env FUSIONAUTH_URL)', (text) =>
      parsedUrl('--fusionauth-url', fusionauthUrl(text)),
    )
    .option('--fusionauth-api-key-file <file>', 'a file holding a FusionAuth API key (env FUSIONAUTH_API_KEY)')
    .option('--ngrok-api-key-file <file>', 'a file holding an ngrok API key (env NGROK_API_KEY)')
    .option('--site-dir <dir>', 'the folder of the site to protect (default ./apptoprotect)')
    .option('--port <port>', 'the port the site is served on (default 8000)', (text) =>
      parsed(commander, validatePort(text)),
    )
    .option(
      '--url <url>',
      'the public URL (domain) the site gets, in any mode that needs one, like https://my-site.ngrok.app',
      (text) => parsedUrl('--url', publicUrl(text)),
    )
    .option('--keep-issuer', "do not change the tenant's issuer (fail with the fix instead)")
    .option(
      '--publish-fusionauth',
      'FusionAuth on localhost or a private address: publish it through ngrok on a second domain (paid plan)',
    )
    .addOption(
      new Option(
        '--use-existing',
        'use an object another setup of this tool made (its application, domain, endpoint), leaving it theirs',
      ).conflicts('createNew'),
    )
    .option('--create-new', 'create this setup its own objects beside those another setup of this tool made')
    .action(
      async (options: {
        sandbox?: boolean;
        input: boolean;
        ngrokMode?: NgrokMode;
        fusionauthUrl?: string;
        fusionauthApiKeyFile?: string;
        ngrokApiKeyFile?: string;
        siteDir?: string;
        port?: number;
        url?: string;
        keepIssuer?: boolean;
        publishFusionauth?: boolean;
        useExisting?: boolean;
        createNew?: boolean;
      }) => {
        const { publishFusionauth, useExisting, createNew, ...rest } = options;
        const setupOptions: SetupOptions = {
          ...rest,
          noInput: !options.input,
          othersObjects: useExisting ? 'use' : createNew ? 'new' : undefined,
          ...(publishFusionauth ? { publishFusionAuth: true } : {}),
        };
        const { setupCommand } = await import('./commands/setup');
        process.exitCode = await setupCommand(globals(program), setupOptions);
      },
    );
  void setup;

  program
    .command('status')
    .description("the stored settings (secrets masked) and each step's state")
    .option('--json', 'machine-readable output')
    .option('--reveal', 'show the secrets in clear (asks first; no terminal: needs --yes)')
    .option('--yes', 'with --reveal: do not ask')
    .action(async (options: { json?: boolean; reveal?: boolean; yes?: boolean }) => {
      const { statusCommand } = await import('./commands/status');
      process.exitCode = await statusCommand(globals(program), options);
    });

  program
    .command('profiles')
    .description('the setups kept under the config dir (one per --profile), with state and public URL')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { profilesCommand } = await import('./commands/profiles');
      process.exitCode = await profilesCommand(globals(program), options);
    });

  program
    .command('reset')
    .description('forget the local settings only (nothing remote is deleted)')
    .action(async () => {
      const { resetCommand } = await import('./commands/reset');
      process.exitCode = await resetCommand(globals(program));
    });

  program
    .command('sandbox')
    .description('run the stand-ins in the foreground; print their URLs and keys')
    .option('--json', 'print one JSON line once ready')
    .option('--data-dir <dir>', "keep the sandbox's state (and ports) in this folder across runs")
    .option('--edges-sunset', 'answer ERR_NGROK_7008 to edge creation, like an account after the Edges sunset')
    .option(
      '--private-fusionauth',
      "FusionAuth reachable only on this machine: ngrok's cloud logs visitors in only through it published",
    )
    .addOption(
      new Option(
        '--plan <plan>',
        'the ngrok plan to answer as: free refuses cloud and internal endpoints, as ngrok does',
      )
        .choices(['pay-as-you-go', 'free'])
        .default('pay-as-you-go'),
    )
    .action(
      async (options: {
        json?: boolean;
        dataDir?: string;
        edgesSunset?: boolean;
        privateFusionauth?: boolean;
        plan: 'pay-as-you-go' | 'free';
      }) => {
        const { sandboxCommand } = await import('./commands/sandbox');
        process.exitCode = await sandboxCommand(options);
      },
    );

  program
    .command('export')
    .description('agent configuration for more machines serving the same site')
    .addOption(new Option('--format <format>', 'what to print').choices(EXPORT_FORMATS).makeOptionMandatory())
    .action(async (options: { format: ExportFormat }) => {
      const { exportCommand } = await import('./commands/export');
      process.exitCode = await exportCommand(globals(program), options);
    });

  program
    .command('tunnel')
    .description('start the web server and the agent, live log view (plain lines without a terminal)')
    .option('--no-tui', 'print plain lines instead of the live view')
    .option('--sandbox', 'run against the sandbox these settings were made with')
    .action(async (options: { tui: boolean; sandbox?: boolean }) => {
      const { tunnelCommand } = await import('./commands/tunnel');
      process.exitCode = await tunnelCommand(globals(program), options);
    });

  program
    .command('verify')
    .description('end-to-end check of the protection')
    .option('--json', 'machine-readable output')
    .option('--sandbox', 'run against the sandbox these settings were made with')
    .action(async (options: { json?: boolean; sandbox?: boolean }) => {
      const { verifyCommand } = await import('./commands/verify');
      process.exitCode = await verifyCommand(globals(program), options);
    });

  program
    .command('rotate-secret')
    .description("a new client secret in FusionAuth and ngrok's vault, verified; rolled back if the login fails")
    .option('--sandbox', 'run against the sandbox this store was set up with')
    .option('--fusionauth-api-key-file <file>', 'a file holding a FusionAuth API key (env FUSIONAUTH_API_KEY)')
    .option('--ngrok-api-key-file <file>', 'a file holding an ngrok API key (env NGROK_API_KEY)')
    .action(async (options: { sandbox?: boolean; fusionauthApiKeyFile?: string; ngrokApiKeyFile?: string }) => {
      const { rotateSecretCommand } = await import('./commands/rotate-secret');
      process.exitCode = await rotateSecretCommand(globals(program), options);
    });

  program
    .command('destroy')
    .description('delete what setup created, remote and local')
    .option('--yes', 'do not ask for confirmation')
    .option('--sandbox', 'the setup was made against the sandbox (found by itself when setup used --sandbox)')
    .option('--fusionauth-api-key-file <file>', 'a file holding a FusionAuth API key (env FUSIONAUTH_API_KEY)')
    .option('--ngrok-api-key-file <file>', 'a file holding an ngrok API key (env NGROK_API_KEY)')
    .action(
      async (options: {
        yes?: boolean;
        sandbox?: boolean;
        fusionauthApiKeyFile?: string;
        ngrokApiKeyFile?: string;
      }) => {
        const { destroyCommand } = await import('./commands/destroy');
        process.exitCode = await destroyCommand(globals(program), options);
      },
    );
  return program;
}

function globals(program: Command): GlobalOptions {
  return program.opts<GlobalOptions>();
}
