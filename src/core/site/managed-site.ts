// The site the tunnel forwards to, for as long as the tunnel runs: the page already served by the
// web server this tool started (recorded, server-record.ts) is used as it is (not started here, so not
// stopped here); a port held by any other program is refused, naming it; otherwise python's
// http.server is started (server.ts) and teardown() stops it again. Nothing is acquired before start().
import { UserError } from '../errors';
import type { ManagedProcess } from '../process';
import { portHolder, portUsedSentence } from './server-holder';
import { probeSite, startSiteServer } from './server';
import { selfCommandQuoted } from '../text';

export interface ManagedSiteOptions {
  dir: string;
  port: number;
  python?: string;
  /** How long the server gets to exit on SIGTERM before SIGKILL. */
  graceMs: number;
  /** The store's folder: where the servers this tool started are recorded (none: every server is another program's). */
  recordIn?: string;
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
    const { dir, port, python, graceMs, recordIn } = this.options;
    const holder = await portHolder(port, dir, recordIn);
    if (holder.kind === 'ours') {
      const served = await probeSite(port, dir, this.abort.signal);
      if (!served.ok)
        throw new UserError(
          `The web server this tool started on port ${port} (pid ${holder.server.pid}) does not serve the page: ${served.message}`,
          { hint: `Stop it (kill ${holder.server.pid}), then start the tunnel again.` },
        );
      this.report(
        'info',
        `The site is already served at http://localhost:${port} by the web server this tool started (pid ${holder.server.pid}; not started here, so not stopped here).`,
      );
      return undefined;
    }
    if (holder.kind === 'other') {
      throw new UserError(portUsedSentence(port, holder), {
        hint: `This tool did not start it, so it is not taken for the site: stop it, or run ${selfCommandQuoted()} and choose another port in Set Up The Application.`,
      });
    }
    const started = await startSiteServer({ dir, port, python, signal: this.abort.signal, recordIn });
    this.server = started.process;
    // Torn down while python was starting: teardown() found no server yet, so it is stopped here.
    if (this.tearingDown) await started.process?.stop(graceMs);
    onStarted?.(started.pid);
    this.report('info', `Started python3 -m http.server ${port} for ${dir} (pid ${started.pid}).`);
    void started.process?.exited.then((exit) => {
      if (!this.tearingDown)
        this.report(
          'warn',
          `The site server stopped (exit ${exit.exitCode ?? exit.signal}): visitors get ERR_NGROK_8012 until it is started again.`,
        );
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
