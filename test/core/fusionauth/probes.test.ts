// The client-secret probe against broken local servers: no answer says nothing about the secret
// ('unknown'), but the person's Ctrl-C while it waits is still a Ctrl-C, not a verdict.
import { afterEach, describe, expect, it } from 'vitest';
import { probeClientSecret } from '../../../src/core/fusionauth';
import { dropConnection, faultyServer, neverAnswer, type FaultyServer } from '../../helpers/fusionauth-faults';

const servers: FaultyServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const probe = (url: string, signal?: AbortSignal) =>
  probeClientSecret(
    `${url}/oauth2/token`,
    '3c219e58-ed0e-4b18-ad48-f4f92793ae32',
    'a-secret',
    'https://idp.ngrok.com/oauth2/callback',
    signal,
  );

describe('probeClientSecret', () => {
  it('a dropped connection is "unknown"', async () => {
    const server = await faultyServer(dropConnection);
    servers.push(server);
    expect(await probe(server.url)).toBe('unknown');
  });

  it('an abort while FusionAuth is silent rejects with the abort instead of answering "unknown"', async () => {
    const server = await faultyServer(neverAnswer);
    servers.push(server);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(probe(server.url, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
