// What "the rerun completed, no duplicate, no value lost" means, checked against the sandbox's own
// management APIs and the store: exactly one application, one cloud endpoint (endpoint mode) or one
// edge with one route and one backend (edge mode), nothing else created, and every stored value and
// created id pointing at exactly those objects.
import { expect } from 'vitest';
import { STEP_IDS } from '../../src/core/store';
import { slots } from '../helpers/created';
import {
  inventory,
  movedCallback,
  killDuringCall,
  openStore,
  runSandboxSetup,
  type Call,
  type Landing,
  type World,
} from './kill-harness';

/** Kills a fresh setup during `call`, runs it again, and checks what the sandbox holds. */
export async function expectRecoveryFromKillDuring(world: World, call: Call, landing: Landing): Promise<void> {
  const killed = await killDuringCall(world, call, landing);
  expect(killed.held).toEqual(call);
  // Dropped unhandled (0), or carried out (2xx) with nobody left to read the answer.
  if (landing === 'before it lands') expect(killed.status).toBe(0);
  else expect(String(killed.status)).toMatch(/^2\d\d$/);

  const again = await runSandboxSetup(world);
  expect(again.exitCode, again.output).toBe(0);
  await expectConverged(world);
}

export async function expectConverged(world: World): Promise<void> {
  if (world.mode === 'agent') throw new Error('agent mode creates nothing on ngrok: nothing to count');
  const inv = await inventory(world);
  const store = openStore(world);
  const { values: v, created: c, steps } = store.snapshot();
  const ids = slots(c);
  // Each object recorded once: a rerun never records a second one of anything.
  const kinds = (c.objects ?? []).map((o) => o.kind).sort();
  expect(c.setupId).toMatch(/^[0-9a-f-]{36}$/);

  expect(STEP_IDS.map((id) => `${id}: ${steps[id]?.status}`)).toEqual(STEP_IDS.map((id) => `${id}: done`));

  // FusionAuth: one application, ours, the one the store names.
  expect(inv.applications.map((a) => a.name)).toEqual(['ngrok']);
  const app = inv.applications[0]!;
  expect(app.data?.createdBy).toBe('ngrok-fusionauth');
  expect(ids.fusionauthApplicationId).toBe(app.id);
  expect(v.clientId).toBe(app.oauthConfiguration.clientId);
  expect(v.clientSecret).toBe(app.oauthConfiguration.clientSecret);
  expect(app.oauthConfiguration.enabledGrants).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
  movedCallback(app.oauthConfiguration.authorizedRedirectURLs, inv.redirectUri);
  expect(app.oauthConfiguration.authorizedRedirectURLs).toEqual([inv.redirectUri]);
  expect(v.redirectUri).toBe(inv.redirectUri);
  // The one redirect URL this tool added is recorded as its own (it may offer to remove it later).
  expect(c.fusionauthRedirectUrls).toEqual([inv.redirectUri]);
  expect(v.fusionauthUrl).toBe(inv.fusionauthUrl);
  expect(inv.tenants.find((t) => t.id === v.tenantId)?.issuer).toBe(inv.fusionauthUrl);
  expect(inv.webhooks).toEqual([]);

  // Local: the agent's log that Test It Out wrote, recorded once (for reset and destroy), whatever was killed.
  expect(c.localFiles).toEqual(['agent.log']);

  // ngrok: the account's only domain, nothing reserved, no IP policy.
  expect(inv.reservedDomains.map((d) => d.domain)).toEqual([v.domain]);
  expect(ids.reservedDomainId).toBeUndefined();
  expect(inv.ipPolicies).toEqual([]);
  expect(v.endpointUrl).toBe(`https://${v.domain}`);
  expect(v.ngrokMode).toBe(world.mode);
  expect(v.siteDir).toBe(world.siteDir);
  expect(v.sitePort).toBe(world.port);

  if (world.mode === 'endpoint') {
    expect(inv.edges).toEqual([]);
    expect(inv.backends).toEqual([]);
    expect(inv.cloudEndpoints.map((e) => e.url)).toEqual([v.endpointUrl]);
    const endpoint = inv.cloudEndpoints[0]!;
    expect(ids.endpointId).toBe(endpoint.id);
    expect(v.internalUrl).toBe(`https://${v.domain!.split('.')[0]}.internal`);
    for (const value of [v.clientId!, inv.fusionauthUrl, v.internalUrl!])
      expect(endpoint.traffic_policy).toContain(value);
    // The client secret: one vault, ours, with one secret, named by the policy and never in it.
    expect(endpoint.traffic_policy).not.toContain(v.clientSecret!);
    expect(inv.vaults.map((x) => x.id)).toEqual([ids.vaultId]);
    expect(inv.vaults[0]!.metadata).toContain('"created_by":"ngrok-fusionauth"');
    expect(inv.vaultSecrets.map((x) => x.id)).toEqual([ids.vaultSecretId]);
    expect(endpoint.traffic_policy).toContain(`secrets.get('${inv.vaults[0]!.name}', '${inv.vaultSecrets[0]!.name}')`);
    expect(v.agentCommand).toBe(`ngrok http ${world.port} --url ${v.internalUrl} --pooling-enabled`);
    expect(Object.keys(c).sort()).toEqual(['fusionauthRedirectUrls', 'localFiles', 'objects', 'setupId']);
    expect(kinds).toEqual(['fusionauth-application', 'ngrok-cloud-endpoint', 'ngrok-vault', 'ngrok-vault-secret']);
  } else {
    expect(inv.vaults).toEqual([]);
    expect(inv.cloudEndpoints).toEqual([]);
    expect(inv.edges).toHaveLength(1);
    const edge = inv.edges[0]!;
    expect(edge.hostports).toEqual([`${v.domain}:443`]);
    expect(ids.edgeId).toBe(edge.id);
    expect(v.edgeId).toBe(edge.id);
    expect(inv.backends).toHaveLength(1);
    const backend = inv.backends[0]!;
    expect(backend.labels).toEqual({ edge: edge.id });
    expect(ids.backendId).toBe(backend.id);
    expect(edge.routes).toHaveLength(1);
    const route = edge.routes[0]!;
    expect(ids.routeId).toBe(route.id);
    expect(route.match).toBe('/');
    expect(route.backend?.backend?.id).toBe(backend.id);
    expect(route.oidc).toMatchObject({ issuer: inv.fusionauthUrl, client_id: v.clientId });
    expect(v.agentCommand).toBe(`ngrok tunnel --label edge=${edge.id} http://localhost:${world.port}`);
    expect(Object.keys(c).sort()).toEqual(['fusionauthRedirectUrls', 'localFiles', 'objects', 'setupId']);
    expect(kinds).toEqual(['fusionauth-application', 'ngrok-backend', 'ngrok-edge', 'ngrok-edge-route']);
  }
}
