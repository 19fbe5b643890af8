// The agent's session with the cloud (see ../ngrok/protocol.ts): one long-lived registration
// request. Refusals (authtoken, tunnel errors) are reported as fatal on the first attempt, as the
// real agent exits on them; connection failures and lost sessions are retried with backoff, as the
// real agent keeps retrying ("failed to reconnect session").
import { standInVersion } from './version';
import { request, type ClientRequest } from 'node:http';
import {
  SESSION_PATH,
  type CloudMessage,
  type RegisterError,
  type RegisterRequest,
  type SessionMessage,
  type TunnelSpec,
} from '../ngrok/protocol';

export type Attempt =
  | { kind: 'established'; session: SessionMessage; lost: Promise<string> }
  | { kind: 'refused'; error: RegisterError; status: number }
  | { kind: 'failed'; reason: string };

export interface SessionOptions {
  serverAddr: string;
  authtoken?: string;
  forwardUrl: string;
  region?: string;
  tunnels: TunnelSpec[];
}

/** Go's wording for network errors, which is what the real agent's err= values carry. */
function describeNetworkError(error: NodeJS.ErrnoException, serverAddr: string): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${serverAddr}: connect: connection refused`;
    case 'ECONNRESET':
      return `read tcp ${serverAddr}: read: connection reset by peer`;
    case 'ETIMEDOUT':
      return `dial tcp ${serverAddr}: i/o timeout`;
    default:
      return error.message;
  }
}

export class CloudSession {
  private current?: ClientRequest;
  private closed = false;

  constructor(private readonly options: SessionOptions) {}

  /** One registration attempt. When established, `lost` resolves with the reason the session ended. */
  attempt(): Promise<Attempt> {
    const { serverAddr, authtoken, forwardUrl, region, tunnels } = this.options;
    const [host = '127.0.0.1', port = '443'] = serverAddr.split(/:(?=\d+$)/);
    const body: RegisterRequest = { agent_version: standInVersion(), forward_url: forwardUrl, region, tunnels };
    const payload = JSON.stringify(body);
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      const settle = (a: Attempt) => {
        if (!settled) {
          settled = true;
          resolve(a);
        }
      };
      const req = request(
        {
          host,
          port: Number(port),
          path: SESSION_PATH,
          method: 'POST',
          // Its own connection: the session lives exactly as long as this socket.
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'user-agent': `ngrok-agent/${standInVersion()}`,
            ...(authtoken ? { authorization: `Bearer ${authtoken}` } : {}),
          },
        },
        (res) => {
          let buffer = '';
          if (res.statusCode !== 200) {
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (buffer += chunk));
            res.on('end', () => {
              let error: RegisterError;
              try {
                error = JSON.parse(buffer) as RegisterError;
              } catch {
                error = { msg: `unexpected answer from the server (${res.statusCode})` };
              }
              if ((res.statusCode ?? 500) >= 500) settle({ kind: 'failed', reason: error.msg });
              else settle({ kind: 'refused', error, status: res.statusCode ?? 400 });
            });
            return;
          }
          let endLost: (reason: string) => void = () => undefined;
          const lost = new Promise<string>((r) => (endLost = r));
          let watchdog: NodeJS.Timeout | undefined;
          let heartbeatMs = 5000;
          const arm = () => {
            clearTimeout(watchdog);
            watchdog = setTimeout(() => req.destroy(new Error('session heartbeat timed out')), heartbeatMs * 3);
            watchdog.unref();
          };
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let newline: number;
            while ((newline = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, newline);
              buffer = buffer.slice(newline + 1);
              if (!line.trim()) continue;
              const message = JSON.parse(line) as CloudMessage;
              if (message.type === 'session') {
                heartbeatMs = message.heartbeat_ms;
                settle({ kind: 'established', session: message, lost });
              }
              arm();
            }
          });
          const end = (reason: string) => {
            clearTimeout(watchdog);
            endLost(reason);
            settle({ kind: 'failed', reason });
          };
          res.on('end', () => end('session closed by the server'));
          res.on('error', (error: NodeJS.ErrnoException) => end(describeNetworkError(error, serverAddr)));
          res.on('close', () => end(`read tcp ${serverAddr}: connection reset by peer`));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        settle({ kind: 'failed', reason: describeNetworkError(error, serverAddr) }),
      );
      req.setNoDelay(true);
      this.current = req;
      if (this.closed) req.destroy();
      req.end(payload);
    });
  }

  /** Ends the session: the cloud sees the connection close and takes the tunnels offline. */
  close(): void {
    this.closed = true;
    this.current?.destroy();
  }
}
