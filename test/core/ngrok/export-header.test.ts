// The export's comments say where the client secret comes from: with the secret in ngrok's vault the
// policy names it (secrets.get), so no comment may tell the reader to paste a secret in.
import { describe, expect, it } from 'vitest';
import { ngrokYml, SECRET_PLACEHOLDER } from '../../../src/core/ngrok';
import type { Values } from '../../../src/core/store';

const agentMode: Values = {
  ngrokMode: 'agent',
  sitePort: 8000,
  fusionauthUrl: 'https://auth.example.com',
  clientId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32',
  endpointUrl: 'https://site.example.com',
};

describe('ngrok-yml export in agent mode', () => {
  it('with the secret in the vault: the policy names it and no comment asks for it', () => {
    const yml = ngrokYml({
      ...agentMode,
      secretVault: 'ngrok-fusionauth-site',
      secretName: 'fusionauth-client-secret',
    });
    expect(yml).toContain("secrets.get('ngrok-fusionauth-site', 'fusionauth-client-secret')");
    expect(yml).not.toContain(SECRET_PLACEHOLDER);
    expect(yml).toContain("read from ngrok's vault (ngrok-fusionauth-site)");
  });

  it('without a vault: the placeholder is in the policy and the comment says what to put there', () => {
    const yml = ngrokYml(agentMode);
    expect(yml).toContain(`client_secret: ${SECRET_PLACEHOLDER}`);
    expect(yml).toMatch(new RegExp(`replace ${SECRET_PLACEHOLDER} with the Client secret`));
  });
});
