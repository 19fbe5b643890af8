// A real HTTP server on 127.0.0.1 whose every answer is huge: a JSON-looking body streamed until the
// client hangs up (or a safety stop, so that a client without a limit cannot take the machine's
// memory), optionally announced by a Content-Length. It counts the bytes it managed to hand to the
// socket: what a client read, at most, plus what the kernel buffers held.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HugeServer {
  url: string;
  /** Bytes written into the socket so far (all answers). */
  readonly bytesSent: number;
  /** Resolves when the client has hung up on every answer started so far. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** The safety stop: well above what a bounded client can let through, far below a machine's memory. */
const SAFETY_STOP_BYTES = 128 * 1024 * 1024;

export async function startHugeServer(
  options: { declaredBytes?: number; contentType?: string; status?: number } = {},
): Promise<HugeServer> {
  let bytesSent = 0;
  const answers: Promise<void>[] = [];
  const chunk = Buffer.alloc(64 * 1024, 'a');
  chunk.write('{"items":["', 0);
  const server = http.createServer((req, res) => {
    const done = (async () => {
      res.writeHead(options.status ?? 200, {
        'content-type': options.contentType ?? 'application/json',
        ...(options.declaredBytes === undefined ? {} : { 'content-length': String(options.declaredBytes) }),
      });
      let closed = false;
      // One wait for the hang-up for the whole answer: a fresh once(res, 'close') at every drain left
      // one more listener each time (MaxListenersExceededWarning after ten).
      const hungUp = once(res, 'close').then(() => (closed = true));
      while (!closed && bytesSent < SAFETY_STOP_BYTES) {
        bytesSent += chunk.length;
        if (!res.write(chunk)) await Promise.race([once(res, 'drain'), hungUp]);
      }
      // With a Content-Length promised and not sent, ending would be a lie: the socket is cut instead.
      if (!closed) res.destroy();
    })();
    answers.push(done);
    req.resume();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get bytesSent() {
      return bytesSent;
    },
    settled: async () => {
      await Promise.all(answers);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What a client that stopped reading after `limit` bytes can have let the server send: the limit plus
 * the most the kernel buffers on both ends of a loopback connection (tcp_wmem and tcp_rmem maxima),
 * plus a megabyte for Node's own stream buffers on both sides.
 */
export function mostSentFor(limit: number): number {
  const max = (file: string) => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
  return limit + max('/proc/sys/net/ipv4/tcp_wmem') + max('/proc/sys/net/ipv4/tcp_rmem') + 1024 * 1024;
}
