// Every ngrok answer this tool reads, answered with the wrong types by a server on 127.0.0.1, on both
// of the wrapper's paths (its own fetch and @ngrok/ngrok-api): each call ends in one sentence naming
// ngrok, what we were doing and the field, never a TypeError and never an id of '' kept in the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { NgrokApi } from '../../../src/core/ngrok';
import { faultyServer, type FaultyServer } from '../../helpers/fusionauth-faults';

let body: unknown;
let server: FaultyServer;
beforeAll(async () => {
  server = await faultyServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
});
afterAll(() => server.close());

const api = () => new NgrokApi({ apiKey: 'k'.repeat(40), baseUrl: server.url, attempts: 1, baseDelayMs: 1 });
const OIDC = {
  issuer: 'https://auth.example.com',
  clientId: 'cid',
  clientSecret: 'secret-secret',
  scopes: ['openid'],
  inactivityTimeout: 0,
  maximumDuration: 0,
};

/** [call, what it does, the answer, the field and what it is not] */
const CASES: Array<[string, (ngrok: NgrokApi) => Promise<unknown>, string, unknown, string]> = [
  [
    'checkKey',
    (n) => n.checkKey(),
    'checking the API key',
    { reserved_domains: 'x' },
    'reserved_domains is not a list',
  ],
  [
    'checkKey, a server that answers {}',
    (n) => n.checkKey(),
    'checking the API key',
    {},
    'reserved_domains is not there',
  ],
  [
    'listReservedDomains',
    (n) => n.listReservedDomains(),
    'listing your reserved domains',
    { reserved_domains: [null] },
    'reserved_domains[0] is not an object',
  ],
  [
    'listEdges',
    (n) => n.listEdges(),
    'listing your HTTPS edges',
    { https_edges: [{ id: 'edghts_1', hostports: 'a.ngrok.app:443' }] },
    'https_edges[0].hostports is not a list',
  ],
  [
    'listEndpoints, an item without an id',
    (n) => n.listEndpoints(),
    'listing your endpoints',
    { endpoints: [{ url: 'https://a.ngrok.app' }] },
    'endpoints[0].id is not there',
  ],
  [
    'getReservedDomain (the client)',
    (n) => n.getReservedDomain('rd_1'),
    'reading the reserved domain rd_1',
    { id: 5, domain: 'a.ngrok.app' },
    'id is not a string',
  ],
  [
    'createEdge (the client)',
    (n) => n.createEdge(['a.ngrok.app:443'], {}),
    'creating the HTTPS edge',
    { hostports: ['a.ngrok.app:443'] },
    'id is not there',
  ],
  [
    'getTunnelGroupBackend',
    (n) => n.getTunnelGroupBackend('bkdtg_1'),
    'reading the backend bkdtg_1',
    { id: 'bkdtg_1', labels: { edge: 5 } },
    'labels.edge is not a string',
  ],
  [
    'getRoute',
    (n) => n.getRoute('edghts_1', 'edghtsrt_1'),
    'reading the route edghtsrt_1',
    { id: 'edghtsrt_1', oidc: { enabled: true, scopes: 'openid' } },
    'oidc.scopes is not a list',
  ],
  [
    'createRoute (the client)',
    (n) => n.createRoute('edghts_1', { matchType: 'path_prefix', match: '/', backendId: 'bkdtg_1', oidc: OIDC }),
    'creating the route / on edghts_1',
    { id: ['edghtsrt_1'] },
    'id is not a string',
  ],
  [
    'createCloudEndpoint',
    (n) => n.createCloudEndpoint('https://a.ngrok.app', 'on_http_request: []', {}),
    'creating the cloud endpoint https://a.ngrok.app',
    { id: 'ep_1', traffic_policy: {} },
    'traffic_policy is not a string',
  ],
  [
    'createIpPolicy (the client)',
    (n) => n.createIpPolicy({}),
    'creating the IP policy',
    [],
    'the answer is not an object',
  ],
];

describe(`${CASES.length} ngrok answers with the wrong types`, () => {
  it.each(CASES)('%s: one sentence naming the call and the field', async (_name, call, action, answer, problem) => {
    body = answer;
    const error = await call(api()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `ngrok answered ${action} with something this tool cannot use: ${problem}.`,
    );
    expect((error as UserError).hint).toContain(`${server.url} is ngrok's API (NGROK_API_URL points there)`);
  });

  it('null for a module that is off, and fields this tool does not read, pass', async () => {
    body = {
      id: 'edghtsrt_1',
      edge_id: 'edghts_1',
      match_type: 'path_prefix',
      match: '/',
      backend: null,
      oidc: null,
      ip_restriction: null,
      something_new: { a: [1] },
    };
    expect(await api().getRoute('edghts_1', 'edghtsrt_1')).toMatchObject({
      id: 'edghtsrt_1',
      edgeId: 'edghts_1',
      oidc: undefined,
      backendId: undefined,
      ipPolicyIds: [],
    });
  });
});
