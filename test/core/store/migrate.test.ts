// A settings file from before `created.objects` (one key per kind) is read into the list, so that
// `destroy` still finds everything an older version recorded; the next write stores the new shape.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/core/store';
import { plannedRemovals } from '../../../src/core/destroy';
import { tempDir } from '../../helpers/cli';

/** Every key the old shape had, as the last release wrote them. */
const OLD_CREATED = {
  fusionauthApplicationId: '1f0e6c4a-8d2b-4b6e-9a3f-5c7d8e9f0a1b',
  fusionauthWebhookId: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  reservedDomainId: 'rd_1',
  edgeId: 'edghts_1',
  routeId: 'edghtsrt_1',
  secondRouteId: 'edghtsrt_2',
  backendId: 'bkdtg_1',
  secondBackendId: 'bkdtg_2',
  endpointId: 'ep_1',
  ipPolicyId: 'ipp_1',
  ipPolicyRuleIds: ['ipr_1', 'ipr_2'],
  fusionauthRedirectUrls: ['https://idp.ngrok.com/oauth2/callback'],
  localFiles: ['agent.log'],
};

describe('the old `created` shape', () => {
  it('is read as one object per id, by kind (routes with their edge, the second app by its role), and written back in the new shape', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ values: { ngrokMode: 'edge' }, created: OLD_CREATED, steps: {} }),
      { mode: 0o600 },
    );
    const store = Store.open(dir);
    expect(store.created).toEqual({
      objects: [
        { kind: 'fusionauth-application', id: OLD_CREATED.fusionauthApplicationId },
        { kind: 'fusionauth-webhook', id: OLD_CREATED.fusionauthWebhookId },
        { kind: 'ngrok-reserved-domain', id: 'rd_1' },
        { kind: 'ngrok-edge', id: 'edghts_1' },
        { kind: 'ngrok-edge-route', id: 'edghtsrt_1', parent: 'edghts_1' },
        { kind: 'ngrok-edge-route', id: 'edghtsrt_2', parent: 'edghts_1', role: 'second' },
        { kind: 'ngrok-backend', id: 'bkdtg_1' },
        { kind: 'ngrok-backend', id: 'bkdtg_2', role: 'second' },
        { kind: 'ngrok-cloud-endpoint', id: 'ep_1' },
        { kind: 'ngrok-ip-policy', id: 'ipp_1' },
        { kind: 'ngrok-ip-policy-rule', id: 'ipr_1' },
        { kind: 'ngrok-ip-policy-rule', id: 'ipr_2' },
      ],
      fusionauthRedirectUrls: OLD_CREATED.fusionauthRedirectUrls,
      localFiles: ['agent.log'],
    });
    // Everything the old file named is something destroy deletes, routes before their edge, FusionAuth last.
    expect(plannedRemovals(store.created).map((r) => r.object.id)).toEqual([
      'edghtsrt_1',
      'edghtsrt_2',
      'edghts_1',
      'bkdtg_1',
      'bkdtg_2',
      'ep_1',
      'ipr_1',
      'ipr_2',
      'ipp_1',
      'rd_1',
      OLD_CREATED.fusionauthWebhookId,
      OLD_CREATED.fusionauthApplicationId,
    ]);
    store.setValues({ sitePort: 8000 });
    const written = JSON.parse(readFileSync(store.path, 'utf8')) as { created: Record<string, unknown> };
    expect(Object.keys(written.created).sort()).toEqual(['fusionauthRedirectUrls', 'localFiles', 'objects']);
  });

  it('a route recorded without its edge takes the edge the values name (the manual path kept it there)', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ values: { edgeId: 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn' }, created: { routeId: 'edghtsrt_9' } }),
      { mode: 0o600 },
    );
    expect(Store.open(dir).created.objects).toEqual([
      { kind: 'ngrok-edge-route', id: 'edghtsrt_9', parent: 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn' },
    ]);
  });
});
