// The site the tunnel forwards to, for as long as the tunnel runs: a page already served on the port
// is used as it is (not started here, so not stopped here); otherwise python's http.server is started
// (server.ts) and teardown() stops it again. Nothing is acquired before start().
import type { ManagedProcess } from '../process';
import { probeSite, startSiteServer } from './server';

export interface ManagedSiteOptions {
  dir: string;
  port: number;
  python?: string;
  /** How long the server gets to exit on SIGTERM before SIGKILL. */
  graceMs: number;
}

/** Where the site's sentences go (the tunnel's log, next to the agent's lines). */
export type SiteReport = (level: 'info' | 'warn', message: string) => void;

export class ManagedSite {
  private readonly abort = new AbortController();
  private server?: ManagedProcess;
  private tearingDown = false;

  constructor(
    private readonly options: ManagedSiteOptions,
    private readonly report: SiteReport,
  ) {}

  /**
   * Makes the page served. Resolves with the pid of the server started here, or undefined when the
   * page was already served; a site that cannot be served is a UserError (from server.ts).
   * `onStarted` hears of the server before its line is reported, so a status that records the pid is
   * told before the line that names it (plain output prints the state first, as it always did).
   */
  async start(onStarted?: (pid: number | undefined) => void): Promise<{ pid?: number } | undefined> {
    const { dir, port, python, graceMs } = this.options;
    const served = await probeSite(port, dir, this.abort.signal);
    if (served.ok) {
      this.report('info', `The site is already served at http://localhost:${port} (not started here, so not stopped here).`);
      return undefined;
    }
    const started = await startSiteServer({ dir, port, python, signal: this.abort.signal });
    this.server = started.process;
    // Torn down while python was starting: teardown() found no server yet, so it is stopped here.
    if (this.tearingDown) await started.process?.stop(graceMs);
    onStarted?.(started.pid);
    this.report('info', `Started python3 -m http.server ${port} for ${dir} (pid ${started.pid}).`);
    void started.process?.exited.then((exit) => {
      if (!this.tearingDown) this.report('warn', `The site server stopped (exit ${exit.exitCode ?? exit.signal}): visitors get ERR_NGROK_8012 until it is started again.`);
    });
    return { pid: started.pid };
  }

  /** Stops the server started here, if any (SIGTERM, then SIGKILL after the grace), and any start under way. */
  async teardown(): Promise<void> {
    this.tearingDown = true;
    this.abort.abort();
    await this.server?.stop(this.options.graceMs);
  }
}
