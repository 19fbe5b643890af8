// /vaults and /vault_secrets: encrypted key-value stores a traffic policy reads with
// `secrets.get(vault, name)`. Paths, bodies and answers as ngrok's OpenAPI spec gives them
// (shared/reference/ngrok-openapi.yaml: VaultCreate/VaultUpdate/Vault, SecretCreate/SecretUpdate/Secret);
// behaviour as https://ngrok.com/docs/traffic-policy/secrets/ describes it:
// - "The ngrok API never returns secret values in response payloads": a value is written by create and
//   update and kept in account.secretValues, never in the resource an answer serialises;
// - SecretCreate's one required field is `vault_id` (the spec's `required: [vault_id]`);
// - the vault id looks like the docs' example answer (`vault_2yNPzuk6GjHrx3mlOCkJK42RsdR`).
// The plan limits of the docs' table (5 vaults; 5, 25 or 500 secrets) are not enforced: ngrok's error
// for going over them is not documented, and the sandbox does not invent one.
import { errors } from '../errors';
import { newId } from '../ids';
import { nowRfc3339, type Vault, type VaultSecret } from '../model';
import { created, mustGet, noContent, ok, ref, type ApiDeps } from './context';
import { paginate } from './paging';
import type { Router } from './router';
import { describe, optString, reqString } from './validate';

const VAULTS = '/vaults';
const SECRETS = '/vault_secrets';

export function vaultRoutes(router: Router, { account }: ApiDeps): void {
  const findVault = (id: string) => mustGet(account.vaults, id);
  const findSecret = (id: string) => mustGet(account.vaultSecrets, id);

  router.add('POST', VAULTS, ({ body }) => {
    const { description, metadata } = describe(body);
    const id = newId('vault');
    const now = nowRfc3339();
    const vault: Vault = {
      id,
      uri: `${VAULTS}/${id}`,
      created_at: now,
      updated_at: now,
      name: optString(body, 'name') ?? '',
      description: description ?? '',
      metadata: metadata ?? '',
    };
    account.vaults.set(id, vault);
    return created(vault);
  });
  router.add('GET', VAULTS, ({ query }) => paginate(account.vaults.values(), query, VAULTS, 'vaults'));
  router.add('GET', `${VAULTS}/{id}`, ({ params }) => ok(findVault(params.id!)));
  router.add('PATCH', `${VAULTS}/{id}`, ({ params, body }) => {
    const vault = findVault(params.id!);
    const { description, metadata } = describe(body);
    const name = optString(body, 'name');
    if (name !== undefined) vault.name = name;
    if (description !== undefined) vault.description = description;
    if (metadata !== undefined) vault.metadata = metadata;
    vault.updated_at = nowRfc3339();
    return ok(vault);
  });
  router.add('DELETE', `${VAULTS}/{id}`, ({ params }) => {
    const vault = findVault(params.id!);
    account.vaults.delete(vault.id);
    // A vault holds its secrets ("Each vault can contain multiple secrets"): they go with it.
    for (const secret of [...account.vaultSecrets.values()])
      if (secret.vault.id === vault.id) {
        account.vaultSecrets.delete(secret.id);
        account.secretValues.delete(secret.id);
      }
    return noContent;
  });

  router.add('POST', SECRETS, ({ body }) => {
    const vaultId = reqString(body, 'vault_id');
    if (!account.vaults.has(vaultId)) throw errors.invalid(`The vault '${vaultId}' does not exist.`);
    const { description, metadata } = describe(body);
    const id = newId('secret');
    const now = nowRfc3339();
    const secret: VaultSecret = {
      id,
      uri: `${SECRETS}/${id}`,
      created_at: now,
      updated_at: now,
      name: optString(body, 'name') ?? '',
      description: description ?? '',
      metadata: metadata ?? '',
      vault: ref(VAULTS, vaultId),
    };
    account.vaultSecrets.set(id, secret);
    account.secretValues.set(id, optString(body, 'value') ?? '');
    return created(secret);
  });
  router.add('GET', SECRETS, ({ query }) => paginate(account.vaultSecrets.values(), query, SECRETS, 'secrets'));
  router.add('GET', `${SECRETS}/{id}`, ({ params }) => ok(findSecret(params.id!)));
  router.add('PATCH', `${SECRETS}/{id}`, ({ params, body }) => {
    const secret = findSecret(params.id!);
    const { description, metadata } = describe(body);
    const name = optString(body, 'name');
    const value = optString(body, 'value');
    if (name !== undefined) secret.name = name;
    if (description !== undefined) secret.description = description;
    if (metadata !== undefined) secret.metadata = metadata;
    if (value !== undefined) account.secretValues.set(secret.id, value);
    secret.updated_at = nowRfc3339();
    return ok(secret);
  });
  router.add('DELETE', `${SECRETS}/{id}`, ({ params }) => {
    const secret = findSecret(params.id!);
    account.vaultSecrets.delete(secret.id);
    account.secretValues.delete(secret.id);
    return noContent;
  });
}
