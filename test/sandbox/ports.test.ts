// The sandbox's ports: chosen below the kernel's ephemeral range, where no outgoing connection can take
// one while the sandbox is stopped, and the same ones again at the next start from its data dir (its
// FusionAuth URL is the tenant's issuer, its callback URL is on the application: both must stay).
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { tempDir } from '../helpers/cli';
import { LOWEST, ephemeralStart } from '../helpers/ports';

const started: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sandbox) => sandbox.close()));
});

const portOf = (url: string) => Number(new URL(url).port);

describe("the sandbox's ports", () => {
  it('are below the ephemeral range and below the test bands, and the same after a restart', async () => {
    const dataDir = tempDir('sandbox-ports-');
    const first = await startSandbox({ dataDir });
    started.push(first);
    const urls = [first.fusionauth.url, first.ngrok.apiUrl, first.redirectUri];
    for (const url of urls) {
      expect(portOf(url), url).toBeGreaterThanOrEqual(10_100);
      expect(portOf(url), url).toBeLessThan(Math.min(LOWEST, ephemeralStart()));
    }
    await started.pop()!.close();

    const second = await startSandbox({ dataDir });
    started.push(second);
    expect([second.fusionauth.url, second.ngrok.apiUrl, second.redirectUri]).toEqual(urls);
  });
});
