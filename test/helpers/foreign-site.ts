// A web server this tool did not start: python's http.server as a person would run it by hand, bound
// to every interface (0.0.0.0, as `python3 -m http.server` binds by default) and serving a folder of
// its own, which holds the guide's page. The site checks must not take it for theirs.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { GUIDE_INDEX_HTML } from '../../src/core/site';
import { tempDir } from './cli';
import { waitUntilGone } from './process';

export interface ForeignSite {
  pid: number;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export async function startForeignSite(port: number, html = GUIDE_INDEX_HTML): Promise<ForeignSite> {
  const dir = tempDir('foreign-site-');
  writeFileSync(path.join(dir, 'index.html'), html);
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '0.0.0.0', '--directory', dir], {
    stdio: 'ignore',
  });
  const stop = async () => {
    child.kill('SIGKILL');
    await waitUntilGone(child.pid);
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const served = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.text(),
      () => undefined,
    );
    if (served === html) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`the foreign python http.server on port ${port} did not serve its page`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { pid: child.pid!, port, dir, stop };
}
