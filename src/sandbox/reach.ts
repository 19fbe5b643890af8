// How another process reaches the public side of a running sandbox: a small JSON file, the sandbox's
// own "hosts file", that maps each public hostname (x.ngrok-free.app) to the loopback origin serving
// it, plus the demo login that works there. The sandbox rewrites it before any answer that brings a
// new hostname (the API's changes, an agent coming online), so a reader never sees an old map; it is
// removed when the sandbox stops. `ngrok-fusionauth sandbox` prints its path as
// NGROK_FUSIONAUTH_SANDBOX_REACH, and src/commands/sandbox-context.ts reads it: a file, because the
// product asks "where is this URL served?" synchronously (RunContext.reach), while the tunnel's live
// view renders.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export const REACH_FILE_NAME = 'public-urls.json';

/** The variable that points another process at a running sandbox's map. */
export const SANDBOX_REACH_ENV = 'NGROK_FUSIONAUTH_SANDBOX_REACH';

export interface ReachDocument {
  /** hostname → http://127.0.0.1:PORT */
  publicUrls: Record<string, string>;
  /** The demo user of the sandbox's FusionAuth, so that a check can log in as a visitor would. */
  login: { email: string; password: string };
  /** The sandbox's FusionAuth is reachable only on this machine (SandboxOptions.privateFusionAuth). */
  privateFusionAuth?: boolean;
}

export function writeReachFile(file: string, doc: ReachDocument): void {
  // Write-then-rename: a reader must never see half a map.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(doc, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}

export function removeReachFile(file: string): void {
  rmSync(file, { force: true });
}

/** The document, or undefined when there is no file (no sandbox is running that wrote it). */
export function readReachFile(file: string): ReachDocument | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const doc = JSON.parse(text) as Partial<ReachDocument>;
  if (!doc || typeof doc.publicUrls !== 'object' || doc.publicUrls === null)
    throw new Error(`${file} is not a sandbox public-URL map.`);
  return doc as ReachDocument;
}

/** The loopback origin serving a public URL or hostname, per the document. */
export function reachIn(doc: ReachDocument, hostOrUrl: string): string | undefined {
  const text = hostOrUrl.trim().toLowerCase();
  let host = text;
  if (text.includes('://')) {
    try {
      host = new URL(text).hostname;
    } catch {
      return undefined;
    }
  }
  return doc.publicUrls[host.replace(/\/.*$/, '').replace(/:\d+$/, '')];
}
