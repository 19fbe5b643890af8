// Loopback listeners for the sandbox's servers: 127.0.0.1 only, a remembered port when it is free.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1, on `preferred` when it is free, else (unless strict) on any free port. */
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
  return attempt(0);
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
