// `sandbox [--json] [--plan free]`: the stand-ins in the foreground, until Ctrl-C or SIGTERM, with the
// `export NAME=value` lines that point this tool (in any other terminal or script) at them. Loads no Ink.
import { shellQuote } from '../core/text';
import { SANDBOX_REACH_ENV, startSandbox, type NgrokPlan } from '../sandbox/index';

/** `export NAME=value` lines a POSIX shell can eval or a person can paste, quoted by the one shell quoter. */
export function exportLines(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
}

export async function sandboxCommand(options: {
  json?: boolean;
  dataDir?: string;
  edgesSunset?: boolean;
  plan?: NgrokPlan;
}): Promise<number> {
  const sandbox = await startSandbox({
    dataDir: options.dataDir,
    edgesSunset: options.edgesSunset,
    plan: options.plan,
  });
  const exports = exportLines(sandbox.env);
  const info = {
    fusionauthUrl: sandbox.fusionauth.url,
    fusionauthApiKey: sandbox.fusionauth.apiKey,
    tenantId: sandbox.fusionauth.tenantId,
    ngrokApiUrl: sandbox.ngrok.apiUrl,
    ngrokApiKey: sandbox.ngrok.apiKey,
    ngrokAuthtoken: sandbox.ngrok.authtoken,
    agentPath: sandbox.agentPath,
    publicUrlsAt: sandbox.publicUrlsAt,
    redirectUri: sandbox.redirectUri,
    demoUser: sandbox.demoUser,
    dataDir: options.dataDir ?? null,
    plan: options.plan ?? 'pay-as-you-go',
    reachFile: sandbox.reachFile,
    // What the export lines set, and the lines themselves (for `eval "$(… | jq -r .exports)"`).
    env: sandbox.env,
    exports: `${exports.join('\n')}\n`,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(info)}\n`);
  else {
    process.stdout.write(
      [
        // Lines of at most 80 columns (values aside): a wider line wraps mid-word in a normal terminal.
        'The sandbox is running on 127.0.0.1 (its keys are its own, not real ones):',
        `  FusionAuth       ${info.fusionauthUrl}`,
        `    API key        ${info.fusionauthApiKey}`,
        `  ngrok API        ${info.ngrokApiUrl}`,
        `    API key        ${info.ngrokApiKey}`,
        `  agent            ${info.agentPath}`,
        `  redirect URI     ${info.redirectUri}`,
        `  demo login       ${info.demoUser.email} / ${info.demoUser.password}`,
        `  public URLs      listed at ${info.publicUrlsAt}`,
        options.dataDir
          ? `  state kept in    ${options.dataDir}`
          : '  state is kept only while it runs (--data-dir D to keep it)',
        options.plan === 'free'
          ? '  ngrok plan       Free: cloud and internal endpoints, custom domains refused'
          : '  ngrok plan       Pay-as-you-go (--plan free: answers as to a Free account)',
        '',
        'To point ngrok-fusionauth (setup, tunnel, verify, destroy) or a script at this',
        'sandbox from any other terminal, paste these lines there; every terminal that',
        'has them shares this one sandbox:',
        '',
        ...exports.map((line) => `  ${line}`),
        '',
        `${SANDBOX_REACH_ENV} names the sandbox's map of public URLs to`,
        'loopback ports: with it, the tool reaches https://….ngrok-free.app and the other',
        'public URLs through the sandbox, not through DNS.',
        '',
        'Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGHUP', resolve);
  });
  await sandbox.close();
  if (!options.json) process.stdout.write('Sandbox stopped.\n');
  return 0;
}
