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
        options.dataDir ? `  state kept in    ${options.dataDir}` : '  state is kept only while it runs (--data-dir D to keep it)',
        '',
        'Point the wizard at it in another terminal:',
        `  FUSIONAUTH_URL=${info.fusionauthUrl} FUSIONAUTH_API_KEY=${info.fusionauthApiKey} NGROK_API_URL=${info.ngrokApiUrl} NGROK_API_KEY=${info.ngrokApiKey} \\`,
        `  NGROK_BIN=${info.agentPath} NGROK_OIDC_REDIRECT_URI=${info.redirectUri} ngrok-fusionauth`,
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
