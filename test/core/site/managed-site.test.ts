// The site a tunnel keeps served, with a real python http.server on 127.0.0.1: started when nothing
// serves the page and stopped by teardown(); used as it is (and left running) when the server this
// tool started serves it; refused, naming its pid, when a server this tool did not start holds the
// port; and a teardown that lands while python is still starting leaves no process behind.
import { afterEach, describe, expect, it } from 'vitest';
import { runningProcesses, stopAll } from '../../../src/core/process';
import { ManagedSite, startSiteServer, writeSiteFile } from '../../../src/core/site';
import { tempDir } from '../../helpers/cli';
import { startForeignSite, type ForeignSite } from '../../helpers/foreign-site';
import { isAlive, waitUntilGone } from '../../helpers/process';
import { unusedPort } from '../../helpers/ports';

let foreign: ForeignSite | undefined;
afterEach(async () => {
  await stopAll();
  await foreign?.stop();
  foreign = undefined;
});

const freePort = () => unusedPort();

async function siteDir(): Promise<string> {
  const dir = tempDir('managed-site-');
  await writeSiteFile(dir);
  return dir;
}

function managed(dir: string, port: number, recordIn = tempDir('managed-site-record-')) {
  const said: Array<[string, string]> = [];
  const site = new ManagedSite({ dir, port, graceMs: 3000, recordIn }, (level, message) => said.push([level, message]));
  return { site, said };
}

describe('the managed site', () => {
  it('starts python when nothing serves the page, and teardown() stops it without a warning', async () => {
    const dir = await siteDir();
    const port = await freePort();
    const { site, said } = managed(dir, port);
    expect(runningProcesses()).toEqual([]);
    const started = await site.start();
    expect(isAlive(started?.pid)).toBe(true);
    expect(said).toEqual([['info', `Started python3 -m http.server ${port} for ${dir} (pid ${started?.pid}).`]]);
    await site.teardown();
    expect(await waitUntilGone(started?.pid)).toBe(true);
    expect(runningProcesses()).toEqual([]);
    // Stopped by us: no "the site server stopped" warning.
    await new Promise((r) => setTimeout(r, 50));
    expect(said.filter(([level]) => level === 'warn')).toEqual([]);
  });

  it('a page already served by the server this tool started (recorded) is used as it is, and left running by teardown()', async () => {
    const dir = await siteDir();
    const port = await freePort();
    const recordIn = tempDir('managed-site-record-');
    const ours = await startSiteServer({ dir, port, recordIn });
    const { site, said } = managed(dir, port, recordIn);
    expect(await site.start()).toBeUndefined();
    expect(said).toEqual([
      [
        'info',
        `The site is already served at http://localhost:${port} by the web server this tool started (pid ${ours.pid}; not started here, so not stopped here).`,
      ],
    ]);
    await site.teardown();
    expect(isAlive(ours.pid)).toBe(true);
  });

  it('a server this tool did not start, on 0.0.0.0 with the same page from another folder, is refused by its pid and left alone', async () => {
    const dir = await siteDir();
    const port = await freePort();
    foreign = await startForeignSite(port);
    const { site, said } = managed(dir, port);
    await expect(site.start()).rejects.toThrow(`Port ${port} is used by another program (pid ${foreign.pid}).`);
    expect(said).toEqual([]);
    expect(runningProcesses()).toEqual([]);
    await site.teardown();
    expect(isAlive(foreign.pid)).toBe(true);
  });

  it("the server of another store (recorded elsewhere) is not this store's either", async () => {
    const dir = await siteDir();
    const port = await freePort();
    const elsewhere = await startSiteServer({ dir, port, recordIn: tempDir('managed-site-record-') });
    const { site } = managed(dir, port);
    await expect(site.start()).rejects.toThrow(`Port ${port} is used by another program (pid ${elsewhere.pid})`);
  });

  it('a server that dies on its own is a warning: visitors get ERR_NGROK_8012', async () => {
    const dir = await siteDir();
    const port = await freePort();
    const { site, said } = managed(dir, port);
    const started = await site.start();
    process.kill(started!.pid!, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (!said.some(([level]) => level === 'warn') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(said.at(-1)).toEqual(['warn', expect.stringContaining('ERR_NGROK_8012')]);
  });

  it('a teardown that lands while python is starting leaves no process behind', async () => {
    const dir = await siteDir();
    const port = await freePort();
    const { site } = managed(dir, port);
    const starting = site.start();
    // python is spawned but does not serve yet: the teardown lands in the wait for the page.
    const deadline = Date.now() + 5000;
    while (runningProcesses().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    expect(runningProcesses().map((p) => p.name)).toEqual(['site']);
    const pid = runningProcesses()[0]!.pid;
    await site.teardown();
    await expect(starting).rejects.toThrow();
    expect(await waitUntilGone(pid, 5000)).toBe(true);
    expect(runningProcesses()).toEqual([]);
  });
});
