// `sandbox [--json]`: the stand-ins in the foreground, until Ctrl-C or SIGTERM. Loads no Ink.
import { startSandbox } from '../sandbox/index';

export async function sandboxCommand(options: { json?: boolean; dataDir?: string; edgesSunset?: boolean }): Promise<number> {
  const sandbox = await startSandbox({ dataDir: options.dataDir, edgesSunset: options.edgesSunset });
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
  };
  if (options.json) process.stdout.write(`${JSON.stringify(info)}\n`);
  else {
    process.stdout.write(
      [
        'The sandbox is running on 127.0.0.1 (these keys are the sandbox\'s own, not real ones):',
        `  FusionAuth       ${info.fusionauthUrl}   API key ${info.fusionauthApiKey}`,
        `  ngrok API        ${info.ngrokApiUrl}   API key ${info.ngrokApiKey}`,
        `  agent            ${info.agentPath}`,
        `  redirect URI     ${info.redirectUri}`,
        `  demo login       ${info.demoUser.email} / ${info.demoUser.password}`,
        `  public URLs      served on loopback ports, listed at ${info.publicUrlsAt}`,
        options.dataDir ? `  state kept in    ${options.dataDir}` : '  state is kept only while it runs (--data-dir D to keep it)',
        '',
        '',
        'For the wizard, run `ngrok-fusionauth --sandbox`: it starts a sandbox of its own and reaches the',
        'endpoint through it. This one is for scripts and API calls (FUSIONAUTH_URL, FUSIONAUTH_API_KEY,',
        'NGROK_API_URL, NGROK_API_KEY, NGROK_BIN and NGROK_OIDC_REDIRECT_URI set from the values above).',
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
