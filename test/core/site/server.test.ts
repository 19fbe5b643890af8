import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runningProcesses, stopAll } from '../../../src/core/process';
import {
  GUIDE_INDEX_HTML,
  isPortFree,
  nextFreePort,
  probeSite,
  startSiteServer,
  writeSiteFile,
} from '../../../src/core/site';
import { tempDir } from '../../helpers/cli';
import { unusedPort } from '../../helpers/ports';
import { isAlive, waitUntilGone } from '../../helpers/process';

afterEach(() => stopAll());

const freePort = unusedPort;

describe("the guide's page", () => {
  it('is written once, and a different page is never overwritten without asking', async () => {
    const dir = path.join(tempDir(), 'apptoprotect');
    expect(await writeSiteFile(dir)).toBe('created');
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe(GUIDE_INDEX_HTML);
    expect(await writeSiteFile(dir)).toBe('same');
    writeFileSync(path.join(dir, 'index.html'), '<h1>mine</h1>');
    expect(await writeSiteFile(dir)).toBe('kept');
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe('<h1>mine</h1>');
    expect(await writeSiteFile(dir, { overwrite: true })).toBe('replaced');
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe(GUIDE_INDEX_HTML);
  });
});

describe('python3 -m http.server', () => {
  it('is started, serves the page, and stops leaving no process', async () => {
    const dir = tempDir();
    await writeSiteFile(dir);
    const port = await freePort();
    const server = await startSiteServer({ dir, port });
    expect(isAlive(server.pid)).toBe(true);
    const probe = await probeSite(port, dir);
    expect(probe).toMatchObject({ ok: true, samePage: true });
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(body).toBe(GUIDE_INDEX_HTML);
    await server.process!.stop();
    expect(await waitUntilGone(server.pid)).toBe(true);
    expect(runningProcesses()).toHaveLength(0);
    expect(await isPortFree(port)).toBe(true);
  });

  it('a kept server outlives our cleanup (the user chose to keep it)', async () => {
    const dir = tempDir();
    await writeSiteFile(dir);
    const port = await freePort();
    const server = await startSiteServer({ dir, port, keep: true });
    try {
      expect(server.process).toBeUndefined();
      await stopAll();
      expect(isAlive(server.pid)).toBe(true);
      expect((await probeSite(port, dir)).ok).toBe(true);
    } finally {
      process.kill(server.pid!, 'SIGTERM');
    }
    expect(await waitUntilGone(server.pid)).toBe(true);
  });

  it('binds to 127.0.0.1 only', async () => {
    const dir = tempDir();
    await writeSiteFile(dir);
    const port = await freePort();
    const server = await startSiteServer({ dir, port });
    const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toEqual(
      expect.arrayContaining(['http.server', String(port), '--bind', '127.0.0.1', '--directory', path.resolve(dir)]),
    );
    await stopAll();
  });

  it('a port in use is reported, and the next free one is offered', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      expect(await isPortFree(port)).toBe(false);
      const dir = tempDir();
      await writeSiteFile(dir);
      await expect(startSiteServer({ dir, port })).rejects.toThrow(`Port ${port} is already in use`);
      const next = await nextFreePort(port);
      expect(next).toBeGreaterThan(port);
      expect(await isPortFree(next)).toBe(true);
    } finally {
      blocker.close();
    }
  });

  it('a probe tells another page from ours', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), '<h1>something else</h1>');
    const port = await freePort();
    await startSiteServer({ dir, port }).catch(() => undefined);
    const probe = await probeSite(port, undefined);
    expect(probe.ok).toBe(false);
    expect(probe.message).toMatch(/another page/);
  });
});
