// The ports tests hand to python and the CLI (helpers/ports.ts) are ones the kernel cannot hand to
// anyone else meanwhile: below its ephemeral range, free, never the same one twice, and never one
// another of the suite's workers may choose.
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { portBand, unusedPort } from '../helpers/ports';
import { MAX_WORKERS } from '../helpers/workers';

const RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

describe.runIf(existsSync(RANGE_FILE))('unusedPort', () => {
  it("is below the ephemeral range, in this worker's band, free, and never handed out twice", async () => {
    const ephemeralStart = Number(readFileSync(RANGE_FILE, 'utf8').trim().split(/\s+/)[0]);
    const ports: number[] = [];
    for (let i = 0; i < 40; i++) ports.push(await unusedPort());
    expect(new Set(ports).size).toBe(ports.length);
    const [from, to] = portBand();
    expect(to - from).toBeGreaterThan(1000);
    expect(to).toBeLessThanOrEqual(ephemeralStart);
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(from);
    for (const port of ports) expect(port).toBeLessThan(to);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[0], '127.0.0.1', resolve));
    server.close();
  });

  it('gives each worker of a run a band of its own', () => {
    const own = process.env.VITEST_POOL_ID;
    const bands: Array<[number, number]> = [];
    try {
      for (let worker = 1; worker <= MAX_WORKERS; worker++) {
        process.env.VITEST_POOL_ID = String(worker);
        bands.push(portBand());
      }
    } finally {
      process.env.VITEST_POOL_ID = own;
    }
    bands.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < bands.length; i++) expect(bands[i]![0]).toBeGreaterThanOrEqual(bands[i - 1]![1]);
  });
});
