// Folders that are not the CLI's to write: a test's own user can write anywhere when it is root, so a
// read-only folder is only read-only to another user. As root, the CLI runs as nobody (65534) on a
// folder root owns; as any other user, on a folder of its own without the write bit. Either way the
// CLI may read the folder and may not write in it, which is what these tests need.
import { chmodSync, copyFileSync, existsSync, linkSync, mkdtempSync, mkdirSync, chownSync } from 'node:fs';
import path from 'node:path';
import { ROOT, type RunAs } from './cli';

const isRoot = process.getuid?.() === 0;
/** Under the repository: the system's temp folder, and the folder our node is in, may be closed to others (0700). */
const BASE = path.join(ROOT, 'node_modules/.cache/ngrok-fusionauth-other-user');

function openBase(): void {
  mkdirSync(BASE, { recursive: true });
  chmodSync(BASE, 0o755);
}

/** Our node, where nobody may run it: a hard link (same disk, no copy), else a copy. */
function reachableNode(): string {
  openBase();
  const node = path.join(BASE, `node-${process.versions.node}`);
  if (!existsSync(node)) {
    try {
      linkSync(process.execPath, node);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EXDEV') copyFileSync(process.execPath, node);
      else if (code !== 'EEXIST') throw error; // EEXIST: another test file linked it meanwhile
    }
  }
  return node;
}

/** Who the CLI runs as: nobody when the tests run as root; undefined (the test's own user) otherwise. */
export const otherUser: RunAs | undefined = isRoot ? { uid: 65534, gid: 65534, node: reachableNode() } : undefined;

/** A folder the CLI may read and not write, filled by `fill` first: 0755 and root's as root, else 0555 and the test user's. */
export function readOnlyFolder(fill: (dir: string) => void = () => {}): string {
  openBase();
  const dir = mkdtempSync(path.join(BASE, 'dir-'));
  fill(dir);
  chmodSync(dir, isRoot ? 0o755 : 0o555);
  return dir;
}

/** Gives `file` to the user the CLI runs as, so that it may read it. */
export function giveToCliUser(file: string): void {
  if (otherUser) chownSync(file, otherUser.uid, otherUser.gid);
}
