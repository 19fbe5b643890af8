// One loopback listener per public hostname: what DNS + ngrok's edge are for the real thing. The
// browser reaches "x.ngrok.app" at http://127.0.0.1:PORT; the listener knows which host it serves.
// Listeners stay open until the sandbox closes (a deleted endpoint then answers "offline", as ngrok
// does for unknown hosts), and each host keeps its port across restarts when the port is free.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../../net';

export type HostHandler = (host: string, origin: string, req: IncomingMessage, res: ServerResponse) => void;

export class HostListeners {
  private readonly servers = new Map<string, { server: Server; origin: string }>();
  private readonly opening = new Map<string, Promise<void>>();

  constructor(
    /** Persisted host → port preferences; updated as listeners open. */
    private readonly ports: Record<string, number>,
    private readonly handler: HostHandler,
  ) {}

  /** Opens a listener for each host that has none; true when one was opened (a port to remember). */
  async ensure(hosts: Iterable<string>): Promise<boolean> {
    const missing = [...hosts].filter((host) => !this.servers.has(host));
    await Promise.all(missing.map((host) => this.open(host)));
    return missing.length > 0;
  }

  private open(host: string): Promise<void> {
    if (this.servers.has(host)) return Promise.resolve();
    let pending = this.opening.get(host);
    if (!pending) {
      pending = (async () => {
        let origin = '';
        const server = createServer((req, res) => this.handler(host, origin, req, res));
        const port = await listen(server, this.ports[host]);
        origin = `http://127.0.0.1:${port}`;
        this.ports[host] = port;
        this.servers.set(host, { server, origin });
      })().finally(() => this.opening.delete(host));
      this.opening.set(host, pending);
    }
    return pending;
  }

  originFor(host: string): string | undefined {
    return this.servers.get(host)?.origin;
  }

  all(): Record<string, string> {
    return Object.fromEntries([...this.servers].map(([host, { origin }]) => [host, origin]));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.opening.values()].map((p) => p.catch(() => undefined)));
    await Promise.all([...this.servers.values()].map(({ server }) => closeServer(server)));
    this.servers.clear();
  }
}
