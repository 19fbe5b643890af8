// `ngrok http`, `ngrok tunnel` and `ngrok start`: start the forwarder and the web service, register
// with the cloud, log like the agent, keep the session up (reconnecting as the agent does), stop on
// SIGINT/SIGTERM.
//
// A session that drops is brought back the way ngrok-go's reconnecting session does it
// (https://github.com/ngrok/ngrok-go/blob/main/internal/tunnel/client/reconnecting.go), in its words:
//   eror "session closed, starting reconnect loop" obj=csess id=… err=…   once, when it drops
//   eror "failed to reconnect session" obj=csess id=… err=…              each failed try
//   dbug "sleep before reconnect" obj=csess id=… secs=N                  backoff 500 ms … 30 s, ×2
//   info "tunnel session started" obj=tunnels.session                    a session again
//   info "client session established" obj=csess id=…                     the tunnels rebound
// and no new "started tunnel": the tunnels are the same ones, rebound (restartBinds). Logs users
// posted show the same lines: https://github.com/inconshreveable/ngrok/issues/822, /66 and /937.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type RegisterError, type TunnelSpec } from '../ngrok/protocol';
import { normalizeAddr, UsageError, type Command } from './cli';
import { ConfigError, loadConfig } from './config';
import { fail } from './fail';
import type { Fault } from './fault';
import { Forwarder, type ForwardTarget } from './forwarder';
import { startLocalApi, type AgentState } from './local-api';
import { Logger, parseLevel, type LogFormat } from './log';
import { CloudSession } from './session';
import { standInVersion } from './version';
import type { AgentConfig } from './config';

const AUTH_CODES = new Set(['ERR_NGROK_4018', 'ERR_NGROK_105', 'ERR_NGROK_107', 'ERR_NGROK_108']);
/** ngrok-go's reconnect backoff: Min 500 ms, Max 30 s, Factor 2, no jitter. */
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

function refusalText(error: RegisterError): string {
  const prefix =
    error.error_code && AUTH_CODES.has(error.error_code)
      ? 'authentication failed: '
      : error.tunnel
        ? 'failed to start tunnel: '
        : '';
  return `${prefix}${error.msg}${error.error_code ? `\r\n\r\n${error.error_code}\r\n` : ''}`;
}

/** `ngrok start NAME… | --all | --none`: the named definitions of the configuration files. */
function startSpecs(command: Extract<Command, { kind: 'start' }>, config: AgentConfig, paths: string[]): TunnelSpec[] {
  if (command.none) return [];
  const definitions = config.definitions ?? {};
  const names = command.all ? Object.keys(definitions) : command.names;
  // The agent's own words, seen in https://github.com/stormshadow07/BeeF-Over-Wan/issues/4:
  // "ERROR:  Your configuration file must define at least one tunnel when using --all. To intentionally
  // start no tunnels, use `ngrok start --none.`"
  if (command.all && names.length === 0)
    fail(
      'Your configuration file must define at least one tunnel when using --all. To intentionally start no tunnels, use `ngrok start --none.`',
    );
  return names.map((name) => {
    const d = definitions[name];
    // Three ERROR lines, as in https://github.com/inconshreveable/ngrok/issues/787 and
    // https://github.com/stormshadow07/BeeF-Over-Wan/issues/47 ("Tunnel 'api' is not defined in the
    // config files." / "Tunnels available: " / "Config files read: [/home/siraj/.ngrok2/ngrok.yml]").
    // Both show no names available; how the agent joins several is not shown, so here ", ".
    if (!d)
      return fail(
        `Tunnel '${name}' is not defined in the config files.\nTunnels available: ${Object.keys(definitions).join(', ')}\nConfig files read: [${paths.join(' ')}]`,
      );
    if (d.labels) return { name, addr: d.addr, labels: d.labels };
    return {
      name,
      proto: 'http',
      addr: d.addr,
      url: d.url,
      traffic_policy: d.trafficPolicy,
      pooling_enabled: d.pooling || undefined,
    };
  });
}

function tunnelSpec(command: Extract<Command, { kind: 'tunnel' | 'http' }>): TunnelSpec {
  if (!command.addr) throw new UsageError('accepts 1 arg(s), received 0');
  const addr = normalizeAddr(command.addr);
  if (command.kind === 'tunnel') {
    const labels: Record<string, string> = {};
    for (const label of command.labels) {
      const eq = label.indexOf('=');
      if (eq < 0) throw new UsageError(`invalid label "${label}": labels must be of the form key=value`);
      labels[label.slice(0, eq)] = label.slice(eq + 1);
    }
    // No labels is for the cloud to refuse (ERR_NGROK_394), as ngrok's does.
    return { name: 'command_line', addr, labels };
  }
  let policy: string | undefined;
  if (command.trafficPolicyFile) {
    try {
      policy = readFileSync(command.trafficPolicyFile, 'utf8');
    } catch (error) {
      throw new UsageError(
        `failed to read traffic policy file ${command.trafficPolicyFile}: ${(error as Error).message}`,
      );
    }
  }
  return {
    name: 'command_line',
    proto: 'http',
    addr,
    url: command.url,
    traffic_policy: policy,
    pooling_enabled: command.pooling || undefined,
  };
}

function consoleSummary(state: AgentState, webAddr: string | undefined): string {
  const row = (k: string, v: string) => `${k.padEnd(30)}${v}`;
  const lines = [
    'ngrok (sandbox)'.padEnd(65) + '(Ctrl+C to quit)',
    '',
    row('Session Status', 'online'),
    row('Version', standInVersion()),
    row('Region', state.region),
  ];
  if (webAddr) lines.push(row('Web Interface', `http://${webAddr}`));
  for (const t of state.tunnels) {
    const from = t.labels
      ? `labels: ${Object.entries(t.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`
      : (t.url ?? '');
    lines.push(row('Forwarding', `${from} -> ${t.addr}`));
  }
  return `${lines.join('\n')}\n\n`;
}

const sleep = (ms: number, cancel: Promise<void>) =>
  Promise.race([new Promise<void>((r) => setTimeout(r, ms).unref()), cancel]);

export async function runAgent(
  command: Extract<Command, { kind: 'tunnel' | 'http' | 'start' }>,
  fault: Fault,
): Promise<void> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(command.flags.config);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const { config, paths } = loaded;
  const flags = command.flags;
  const logTarget = flags.log ?? config.log;
  const format = (flags.logFormat ?? config.logFormat ?? 'term') as LogFormat;
  if (!['logfmt', 'json', 'term'].includes(format)) fail(`invalid log format "${format}": use logfmt, json or term`);
  const level = parseLevel(flags.logLevel ?? config.logLevel ?? 'info');
  if (!level) fail(`invalid log level "${flags.logLevel ?? config.logLevel}"`);
  const log = new Logger(logTarget === undefined || logTarget === 'false' ? undefined : logTarget, format, level);

  const specs = command.kind === 'start' ? startSpecs(command, config, paths) : [tunnelSpec(command)];
  if (command.kind === 'http' && command.oidc) {
    log.warn('the --oidc flags are deprecated: use a traffic policy with the openid-connect action', { obj: 'cli' });
    fail(
      'the --oidc flags are deprecated and not supported by the sandbox agent: use --traffic-policy-file with an openid-connect action',
    );
  }
  const serverAddr = config.serverAddr ?? process.env.NGROK_SANDBOX_SERVER_ADDR;
  if (!serverAddr)
    fail('the sandbox agent has no server_addr: run it through the sandbox wrapper, or set server_addr in ngrok.yml');
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/.test(serverAddr))
    fail(`the sandbox agent only connects to a sandbox on 127.0.0.1, not ${serverAddr}`);
  const authtoken = flags.authtoken ?? process.env.NGROK_AUTHTOKEN ?? config.authtoken;

  if (paths.length === 0) log.info('no configuration paths supplied');
  for (const file of paths) log.info('open config file', { path: file, err: null });

  const forwarder = new Forwarder(log);
  const state: AgentState = {
    status: 'connecting',
    region: flags.region ?? config.region ?? 'us',
    tunnels: [],
    forwarder,
  };
  await forwarder.start();
  let webAddr: string | undefined;
  let web: Awaited<ReturnType<typeof startLocalApi>> | undefined;
  if (config.webAddr !== false) {
    const [host = '127.0.0.1', port = '4040'] = (config.webAddr ?? '127.0.0.1:4040').split(/:(?=\d+$)/);
    try {
      web = await startLocalApi(state, host, Number(port), 100);
      webAddr = web.addr;
      log.info('starting web service', { obj: 'web', addr: webAddr, allow_hosts: '[]' });
    } catch (error) {
      log.crit('command failed', { err: `failed to start web service: ${(error as Error).message}` });
      fail(`failed to start web service: ${(error as Error).message}`);
    }
  }

  const crash = (why: string): never => {
    log.crit('sandbox fault injected: crashing', { obj: 'app', fault: why, code: fault.exitCode });
    process.exit(fault.exitCode);
  };
  if (fault.failStart) crash('fail-start');
  if (fault.refuseCode) {
    const err = refusalText({
      error_code: fault.refuseCode,
      msg: 'The sandbox was told to refuse this tunnel (NGROK_SANDBOX_FAULT).',
      tunnel: specs[0]?.name,
    });
    log.eror('failed to start tunnel', { obj: 'tunnels', name: specs[0]?.name, err });
    log.crit('command failed', { err });
    fail(err);
  }

  const session = new CloudSession({
    serverAddr,
    authtoken,
    forwardUrl: forwarder.url,
    region: flags.region ?? config.region,
    tunnels: specs,
  });
  const specByName = new Map(specs.map((spec) => [spec.name, spec]));
  // The client session's id, as ngrok-go logs it (obj=csess id=…): one per agent process.
  const csess = { obj: 'csess', id: randomBytes(6).toString('hex') };
  let stopping = false;
  let cancelWait: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (cancelWait = resolve));
  const stop = () => {
    if (fault.ignoreSigterm) {
      log.warn('sandbox fault injected: ignoring stop request', { obj: 'app' });
      return;
    }
    if (stopping) return;
    stopping = true;
    log.info('received stop request', { obj: 'app', stopReq: '{err:<nil> restart:false}' });
    session.close();
    forwarder.close();
    web?.server.close();
    web?.server.closeAllConnections();
    cancelWait();
    setImmediate(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  let first = true;
  let backoff = MIN_BACKOFF_MS;
  let crashArmed = false;
  while (!stopping) {
    const attempt = await session.attempt();
    if (stopping) break;
    if (attempt.kind === 'refused') {
      const err = refusalText(attempt.error);
      if (first) {
        if (attempt.error.tunnel)
          log.eror('failed to start tunnel', { obj: 'tunnels', name: attempt.error.tunnel, err });
        else log.eror('failed to reconnect session', { ...csess, err });
        log.crit('command failed', { err });
        fail(err);
      }
      // A refusal on a reconnect is retried like any failure: the agent does not exit
      // (https://github.com/inconshreveable/ngrok/issues/937: ERR_NGROK_334 again and again).
      log.eror('failed to reconnect session', { ...csess, err });
    } else if (attempt.kind === 'failed') {
      state.status = 'reconnecting';
      log.eror('failed to reconnect session', { ...csess, err: attempt.reason });
    } else {
      const message = attempt.session;
      state.status = 'online';
      state.sessionId = message.session_id;
      state.region = message.region;
      state.tunnels = message.tunnels.map((t) => {
        const spec = specByName.get(t.name);
        return {
          name: t.name,
          id: t.id,
          url: t.url,
          addr: t.addr,
          labels: t.labels,
          trafficPolicy: spec?.traffic_policy,
          pooling: Boolean(spec?.pooling_enabled),
        };
      });
      forwarder.setTargets(
        new Map<string, ForwardTarget>(message.tunnels.map((t) => [t.id, { name: t.name, addr: t.addr }])),
      );
      log.info('tunnel session started', { obj: 'tunnels.session' });
      log.info('client session established', csess);
      // Only the first session starts the tunnels; a later one rebinds them without a word.
      if (first)
        for (const t of message.tunnels)
          log.info('started tunnel', { obj: 'tunnels', name: t.name, addr: t.addr, url: t.url });
      if (first && !log.toStdout) process.stdout.write(consoleSummary(state, webAddr));
      first = false;
      backoff = MIN_BACKOFF_MS;
      if (fault.crashAfterMs !== undefined && !crashArmed) {
        crashArmed = true;
        setTimeout(() => crash(`crash-after:${fault.crashAfterMs}ms`), fault.crashAfterMs);
      }
      const reason = await Promise.race([attempt.lost, stopped.then(() => '')]);
      if (stopping) break;
      state.status = 'reconnecting';
      log.eror('session closed, starting reconnect loop', { ...csess, err: reason });
      // ngrok-go dials again at once after a drop; the backoff is for failed tries.
      continue;
    }
    log.dbug('sleep before reconnect', { ...csess, secs: Math.floor(backoff / 1000) });
    await sleep(backoff, stopped);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}
