// The ports tests hand to python and the CLI (helpers/ports.ts) are ones the kernel cannot hand to
// anyone else meanwhile: below its ephemeral range, free, and never the same one twice.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { unusedPort } from '../helpers/ports';

const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe.runIf(Number.isFinite(ephemeralStart))('unusedPort', () => {
  it('is below the ephemeral range, in this worker\'s band, free, and never handed out twice', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 40; i++) ports.push(await unusedPort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(20_000);
    for (const port of ports) expect(port).toBeLessThan(ephemeralStart);
    // One worker's band of eight: the workers of one run cannot choose the same port.
    expect(Math.max(...ports) - Math.min(...ports)).toBeLessThan((ephemeralStart - 20_000) / 8);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[0], '127.0.0.1', resolve));
    server.close();
  });
});
