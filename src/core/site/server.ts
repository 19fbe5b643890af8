// The guide's "Set Up The Application": a folder with its index.html, served by python's http.server
// on 127.0.0.1, and proven by fetching the page back.
import getPort, { portNumbers } from 'get-port';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { UserError } from '../errors';
import { FileRefusedError, makeFolder, readSmallFile } from '../files';
import { BODY_LIMIT_BYTES, BodyTooLargeError, httpGet } from '../http';
import { startDetached, startProcess, type ManagedProcess } from '../process';
import { shellCommand } from '../text';
import { forgetSiteServer, recordSiteServer } from './server-record';

/** The guide's index.html, verbatim. */
export const GUIDE_INDEX_HTML = `<title>My application</title>
<h1>The application</h1>
This is a protected application.
`;

export const DEFAULT_SITE_DIR = 'apptoprotect';
export { DEFAULT_SITE_PORT } from '../constants';

export type SiteFileState = 'missing' | 'same' | 'different';

/**
 * The page is read to compare it, with the page the server sends back: as much as an HTTP answer may
 * hold (BODY_LIMIT_BYTES), so that any page we can fetch we can also compare.
 */
const readSitePage = (dir: string) =>
  readSmallFile(path.join(dir, 'index.html'), {
    what: 'the site page',
    maxBytes: BODY_LIMIT_BYTES,
    hint: 'index.html should be a regular file (the page the site serves).',
  });

/** The folder's index.html, or undefined when it cannot be read (gone, not a regular file, too large). */
export function sitePageText(dir: string): string | undefined {
  try {
    return readSitePage(dir);
  } catch {
    return undefined;
  }
}

export async function siteFileState(dir: string): Promise<SiteFileState> {
  try {
    return readSitePage(dir).trim() === GUIDE_INDEX_HTML.trim() ? 'same' : 'different';
  } catch (error) {
    if (error instanceof FileRefusedError && error.reason === 'missing') return 'missing';
    // Larger than any page we would compare: not the guide's few lines, so the user's own page.
    if (error instanceof FileRefusedError && error.reason === 'too-large') return 'different';
    throw error;
  }
}

/** Writes the guide's page. A different existing page is replaced only with `overwrite`. */
export async function writeSiteFile(
  dir: string,
  options: { overwrite?: boolean } = {},
): Promise<'created' | 'kept' | 'replaced' | 'same'> {
  const state = await siteFileState(dir);
  if (state === 'same') return 'same';
  if (state === 'different' && !options.overwrite) return 'kept';
  makeFolder(dir, {
    what: 'the site folder',
    hint: 'Pick another --site-dir, a folder on a normal disk that you can write to.',
  });
  try {
    await writeFile(path.join(dir, 'index.html'), GUIDE_INDEX_HTML);
  } catch (error) {
    throw new UserError(`Cannot write ${path.join(dir, 'index.html')}: ${(error as Error).message}`);
  }
  return state === 'missing' ? 'created' : 'replaced';
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function nextFreePort(after: number): Promise<number> {
  const from = Math.min(after + 1, 65535);
  return getPort({ port: portNumbers(from, Math.min(from + 200, 65535)), host: '127.0.0.1' });
}

export interface SiteProbe {
  ok: boolean;
  status?: number;
  /** True when the page served is the one in the folder. */
  samePage?: boolean;
  message: string;
}

/** GETs the page from the port and compares it with the file we wrote. */
export async function probeSite(port: number, dir: string | undefined, signal?: AbortSignal): Promise<SiteProbe> {
  const url = `http://127.0.0.1:${port}/`;
  let response: Response;
  try {
    response = await httpGet(url, { signal, timeoutMs: 3000 });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (error instanceof BodyTooLargeError) return { ok: false, message: error.message };
    return { ok: false, message: `Nothing answers on ${url}.` };
  }
  const body = await response.text();
  if (response.status !== 200)
    return { ok: false, status: response.status, message: `${url} answered ${response.status}.` };
  const expected = dir === undefined ? undefined : sitePageText(dir);
  const samePage = expected === undefined ? body.includes('<h1>The application</h1>') : body === expected;
  return samePage
    ? { ok: true, status: 200, samePage, message: `${url} serves the page.` }
    : {
        ok: false,
        status: 200,
        samePage,
        message: `${url} answers, but with another page than ${dir ?? "the guide's"}.`,
      };
}

export interface SiteServer {
  url: string;
  port: number;
  process?: ManagedProcess;
  pid?: number;
}

export function siteServerArgs(dir: string, port: number): string[] {
  return ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', path.resolve(dir)];
}

/**
 * Starts `python3 -m http.server PORT --bind 127.0.0.1 --directory DIR` and waits until it serves the
 * page. With `keep`, the server is detached and outlives us; otherwise it is stopped on exit. With
 * `recordIn` (the store's folder) it is recorded there as this tool's (server-record.ts) once it
 * serves, and crossed out when it stops while we run.
 */
export async function startSiteServer(options: {
  dir: string;
  port: number;
  keep?: boolean;
  python?: string;
  signal?: AbortSignal;
  recordIn?: string;
}): Promise<SiteServer> {
  const python = options.python ?? 'python3';
  const args = siteServerArgs(options.dir, options.port);
  if (!(await isPortFree(options.port)))
    throw new UserError(`Port ${options.port} is already in use.`, { hint: 'Pick another port.' });
  let managed: ManagedProcess | undefined;
  let pid: number | undefined;
  let exited: Promise<{ exitCode?: number; signal?: string } | void>;
  if (options.keep) {
    const child = startDetached(python, args, { needs: 'python' });
    pid = child.pid;
    exited = child.exited;
  } else {
    // Not a pipe: http.server logs every request to stderr, and a server orphaned by a crash of this
    // process (SIGKILL) would then fail each request on the broken pipe while still holding the port,
    // so the next run could neither use the port nor the server. Piped, the lines would also pile up
    // in memory for as long as the tunnel runs.
    managed = await startProcess('site', python, args, { needs: 'python', stdout: 'ignore', stderr: 'ignore' });
    pid = managed.pid;
    exited = managed.exited;
  }
  let gone = false;
  void exited.then(() => (gone = true));
  // A server that never served the page is not left behind, however the wait ends (a timeout, a
  // cancel from the caller's signal, another page on the port).
  const abandon = async () => {
    await managed?.stop();
    if (!managed && pid && !gone) process.kill(pid, 'SIGTERM');
  };
  const deadline = Date.now() + 10_000;
  try {
    while (Date.now() < deadline) {
      options.signal?.throwIfAborted();
      if (gone) {
        // Taken between our check and python's bind: the one failure worth a sentence of its own.
        if (!(await isPortFree(options.port)))
          throw new UserError(`Port ${options.port} is already in use.`, { hint: 'Pick another port.' });
        const exit = await exited;
        throw new UserError(`python3 http.server stopped at once (${describeExit(exit)}).`, {
          hint: `Run ${shellCommand([python, ...args])} yourself to see why.`,
        });
      }
      const probe = await probeSite(options.port, options.dir, options.signal);
      if (probe.ok) {
        const { recordIn } = options;
        if (recordIn && pid) {
          recordSiteServer(recordIn, {
            pid,
            argv: [python, ...args],
            port: options.port,
            dir: path.resolve(options.dir),
          });
          void exited.then(() => forgetSiteServer(recordIn, pid!));
        }
        return { url: `http://localhost:${options.port}`, port: options.port, process: managed, pid };
      }
      if (probe.status) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await abandon();
    throw error;
  }
  await abandon();
  throw new UserError(`The site server on port ${options.port} did not serve the page within 10 s.`);
}

function describeExit(exit: { exitCode?: number; signal?: string } | void): string {
  if (exit?.signal) return `killed by ${exit.signal}`;
  return exit?.exitCode === undefined ? 'it exited' : `exit code ${exit.exitCode}`;
}
