import { describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../src/core/constants';
import { SECTION_TITLES, VALUE_LABELS } from '../../src/steps/catalog';
import { STEPS } from '../../src/steps/index';

describe('the catalog of sections', () => {
  it("names the sections in the guide's order, with the titles the steps use", () => {
    expect(STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
    expect(STEPS.map((s) => s.title)).toEqual(STEP_IDS.map((id) => SECTION_TITLES[id]));
  });

  it("a stored value has one label: the sections' summaries use the ones `status` prints", () => {
    const values = {
      fusionauthUrl: 'https://auth.example.com',
      siteDir: '/srv/site',
      sitePort: 8000,
      applicationName: 'ngrok',
      clientId: 'c',
      clientSecret: 's3cret-value-12345',
      ngrokMode: 'endpoint',
      endpointUrl: 'https://x.ngrok.app',
      internalUrl: 'https://x.internal',
      policyFile: '/p',
      agentCommand: 'ngrok http 8000',
      redirectUri: 'https://idp.ngrok.com/oauth2/callback',
      requireRegistration: true,
      webhookUrl: 'https://hooks.example.com',
      sessionInactivity: '30m',
      sessionMaxDuration: '8h',
      userinfoRefresh: '1h',
      allowCidrs: ['10.0.0.0/8'],
      addHeaders: { 'x-a': 'b' },
      removeHeaders: ['x-b'],
      secondPath: '/api',
      secondPort: 9000,
    } as const;
    const stored = new Set(VALUE_LABELS.map((v) => v.label));
    // Rows that show something worked out rather than one stored value, or a value in that section's words.
    const derived = new Set(['Site', 'Second app command', 'Second app', 'Authorized redirect URL', 'Visit']);
    const labels = STEPS.flatMap((s) =>
      s.summary({ ...values, allowCidrs: [...values.allowCidrs], removeHeaders: [...values.removeHeaders] }),
    ).map((r) => r.label);
    expect(labels.length).toBeGreaterThan(15);
    expect(labels.filter((label) => !stored.has(label) && !derived.has(label))).toEqual([]);
  });
});
