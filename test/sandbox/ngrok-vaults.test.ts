// The sandbox's /vaults and /vault_secrets as ngrok's OpenAPI spec and its secrets page describe them:
// a secret needs a vault_id, its value is stored but never in any answer, a vault's deletion takes its
// secrets; and a policy's `${secrets.get(vault, name)}` in openid-connect's client_secret is accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { parsePolicy } from '../../src/sandbox/ngrok/policy/parse';
import { apiCall } from './ngrok-helpers';

let ngrok: NgrokSandbox;
let api: ReturnType<typeof apiCall>;

beforeAll(async () => {
  ngrok = await startNgrok({});
  api = apiCall(ngrok);
});
afterAll(async () => {
  await ngrok?.close();
});

const VALUE = 'the-value-nobody-may-read-0123456789';

describe('vaults and secrets', () => {
  it('stores a secret without ever answering its value', async () => {
    const vault = await api('POST', '/vaults', { name: 'v-one', description: 'test vault' });
    expect(vault.status).toBe(201);
    expect(vault.json!.id).toMatch(/^vault_/);
    expect(vault.json!.name).toBe('v-one');

    const secret = await api('POST', '/vault_secrets', { vault_id: vault.json!.id, name: 's-one', value: VALUE });
    expect(secret.status).toBe(201);
    expect(secret.json!.vault.id).toBe(vault.json!.id);
    const id = secret.json!.id as string;
    const answers = [
      secret,
      await api('GET', `/vault_secrets/${id}`),
      await api('GET', '/vault_secrets'),
      await api('PATCH', `/vault_secrets/${id}`, { value: `${VALUE}-2` }),
      await api('GET', `/vaults/${vault.json!.id}`),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(300);
      expect(answer.text).not.toContain(VALUE);
      expect(answer.text).not.toMatch(/"value"/);
    }
    expect(answers[2]!.json!.secrets.map((s: { id: string }) => s.id)).toContain(id);
  });

  it('refuses a secret without a vault, or in a vault that does not exist', async () => {
    const none = await api('POST', '/vault_secrets', { name: 'x', value: VALUE });
    expect(none.status).toBe(400);
    expect(none.text).not.toContain(VALUE);
    const missing = await api('POST', '/vault_secrets', { vault_id: 'vault_nope', name: 'x', value: VALUE });
    expect(missing.status).toBe(400);
  });

  it("deletes a vault's secrets with it; unknown ids are ngrok's bare 404", async () => {
    const vault = await api('POST', '/vaults', { name: 'v-two' });
    const secret = await api('POST', '/vault_secrets', { vault_id: vault.json!.id, name: 's', value: VALUE });
    expect((await api('DELETE', `/vaults/${vault.json!.id}`)).status).toBe(204);
    expect((await api('GET', `/vault_secrets/${secret.json!.id}`)).status).toBe(404);
    expect((await api('DELETE', `/vault_secrets/${secret.json!.id}`)).status).toBe(404);
  });
});

describe('secrets.get in a policy', () => {
  const policy = (secret: string) =>
    JSON.stringify({
      on_http_request: [
        {
          actions: [
            {
              type: 'openid-connect',
              config: { issuer_url: 'http://127.0.0.1:1', client_id: 'c', client_secret: secret },
            },
          ],
        },
      ],
    });
  const oidcOf = (text: string) => {
    const action = parsePolicy(text).onHttpRequest[0]!.actions[0]!;
    if (action.type !== 'openid-connect') throw new Error('not oidc');
    return action.oidc;
  };

  it('reads a whole client_secret that is one secrets.get, with either quotes', () => {
    expect(oidcOf(policy("${secrets.get('my-vault', 'my-secret')}")).clientSecretRef).toEqual({
      vault: 'my-vault',
      name: 'my-secret',
    });
    expect(oidcOf(policy('${secrets.get("my-vault","my-secret")}')).clientSecretRef).toEqual({
      vault: 'my-vault',
      name: 'my-secret',
    });
    expect(oidcOf(policy('plain-secret')).clientSecretRef).toBeUndefined();
  });

  it('refuses other interpolation in client_secret', () => {
    expect(() => parsePolicy(policy('${req.host}'))).toThrow(/not supported by the sandbox/);
    expect(() => parsePolicy(policy("x${secrets.get('v', 's')}"))).toThrow(/not supported by the sandbox/);
  });
});
