// The site a tunnel keeps served, with a real python http.server on 127.0.0.1: started when nothing
// serves the page and stopped by teardown(); used as it is (and left running) when something does;
// and a teardown that lands while python is still starting leaves no process behind.
import { afterEach, describe, expect, it } from 'vitest';
import { runningProcesses, stopAll } from '../../../src/core/process';
import { ManagedSite, nextFreePort, startSiteServer, writeSiteFile } from '../../../src/core/site';
import { tempDir } from '../../helpers/cli';
import { isAlive, waitUntilGone } from '../../helpers/process';

afterEach(() => stopAll());

const freePort = () => nextFreePort(20000 + Math.floor(Math.random() * 20000));

async function siteDir(): Promise<string> {
  const dir = tempDir('managed-site-');
  await writeSiteFile(dir);
  return dir;
}

function managed(dir: string, port: number) {
  const said: Array<[string, string]> = [];
  const site = new ManagedSite({ dir, port, graceMs: 3000 }, (level, message) => said.push([level, message]));
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

  it('a page already served is used as it is, and left running by teardown()', async () => {
    const dir = await siteDir();
    const port = await freePort();
    const other = await startSiteServer({ dir, port });
    const { site, said } = managed(dir, port);
    expect(await site.start()).toBeUndefined();
    expect(said[0]?.[1]).toContain('already served');
    await site.teardown();
    expect(isAlive(other.pid)).toBe(true);
  });

  it('a server that dies on its own is a warning: visitors get ERR_NGROK_8012', async () => {
    const dir = await siteDir();
    const port = await freePort();
    const { site, said } = managed(dir, port);
    const started = await site.start();
    process.kill(started!.pid!, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (!said.some(([level]) => level === 'warn') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
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
