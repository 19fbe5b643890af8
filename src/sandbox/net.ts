// Loopback listeners for the sandbox's servers (the FusionAuth and ngrok stand-ins): 127.0.0.1 only,
// a remembered port when it is free.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Where a fresh port is drawn from: below the kernel's ephemeral range (32768–60999 on Linux, 49152 and
 * up on macOS, IANA's), which every outgoing connection and every listen(0) takes its port from. The
 * sandbox remembers its ports (ports.json, the public URLs' loopback ports) for its next start, so
 * that the FusionAuth URL, the issuer and the redirect URI stay the same; a port in the ephemeral
 * range is free between two starts for any connection's local end to take (seen when a killed setup
 * was run again beside busy tests: a new callback port, and a second redirect URL on the
 * application). Down here only an explicit bind takes one. Below 20000: the test suite hands out ports
 * for python from 20000 up (test/helpers/ports.ts); from 10100: clear of development servers' usual
 * ports (3000, 5173, 8000, 8080, 9011…) and above 10080, the highest of the ports that fetch refuses
 * ("bad port", https://fetch.spec.whatwg.org/#port-blocking; Node's fetch is undici, which applies it).
 */
const FRESH_PORTS = { from: 10_100, to: 20_000 } as const;
const FRESH_TRIES = 20;

/**
 * Listens on 127.0.0.1, on `preferred` when it is free, else (unless strict) on a free port below the
 * ephemeral range, else on any free port.
 */
export async function listen(server: Server, preferred?: number, strict = false): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, '127.0.0.1');
    });
  if (preferred) {
    try {
      return await attempt(preferred);
    } catch (error) {
      if (strict || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  for (let i = 0; i < FRESH_TRIES; i++) {
    const port = FRESH_PORTS.from + Math.floor(Math.random() * (FRESH_PORTS.to - FRESH_PORTS.from));
    try {
      return await attempt(port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  return attempt(0);
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
