// The client secret in an ngrok vault (https://ngrok.com/docs/traffic-policy/secrets/), so that the
// traffic policy ngrok stores, the policy file and `export` name the secret instead of holding it:
//   client_secret: ${secrets.get('ngrok-fusionauth-my-site-ngrok-app', 'fusionauth-client-secret')}
// The openid-connect action's client_secret "Supports CEL"
// (https://ngrok.com/docs/traffic-policy/actions/openid-connect/, "Configuration fields"), and
// "Secrets are supported in all Traffic Policy actions and fields that support CEL".
//
// Where it applies: endpoint mode (the cloud endpoint's policy). Agent mode has no API key to make a
// vault with, so its policy file keeps the secret (0600). Edge mode's OIDC module is not a traffic
// policy: its client_secret is a plain string of the route's `oidc` module (EndpointOIDC in ngrok's
// OpenAPI spec) where no CEL is evaluated, so edges keep the secret inline too.
//
// Every plan has vaults (the docs' "Limits and pricing": 5 vaults on Free, Hobbyist and PayGo); a
// refused create (the limit reached: ngrok does not document that error) falls back to the inline
// secret with one sentence saying why, and the setup goes on.
import { createHash } from 'node:crypto';
import { finding, type Finding } from '../findings';
import type { NgrokApi, Vault, VaultSecret } from './api';
import { isNgrokApiError } from './errors';
import { findOrCreate, mark, verifyStored, type Answers } from './ownership';
import type { Store, Values } from '../store';

/** The name of the secret inside the vault: one per vault, so a fixed name. */
export const VAULT_SECRET_NAME = 'fusionauth-client-secret';

/** The vault's name, from the site's domain: one vault per site, found again by it. */
export function vaultNameFor(domain: string): string {
  return `ngrok-fusionauth-${domain.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 64).replace(/-+$/, '');
}

/**
 * The text a policy carries where the secret would be: ngrok's `secrets.get(vault, name)` macro in
 * CEL interpolation, as the docs write it (`"${secrets.get('my-vault', 'password')}"`). Names are
 * letters, digits and dashes (vaultNameFor), so they need no escaping inside the quotes.
 */
export function secretReference(vault: string, name: string): string {
  return `\${secrets.get('${vault}', '${name}')}`;
}

/** The reference the stored settings give, when the secret lives in a vault. */
export function storedSecretReference(values: Values): string | undefined {
  return values.secretVault && values.secretName ? secretReference(values.secretVault, values.secretName) : undefined;
}

export interface VaultOutcome {
  /** The reference for the policy, or undefined: the secret goes inline (the fallback). */
  reference?: string;
  findings: Finding[];
}

/**
 * Makes the vault and the secret hold the current client secret; records their ids the moment ngrok
 * answers. A vault or secret carrying this tool's mark is adopted (a kill between create and record
 * leaves no second one); the value is written on every run (ngrok never shows it, so it cannot be
 * compared), which is also how a rerun repairs a half-finished `rotate-secret`.
 */
export async function reconcileVaultSecret(
  api: NgrokApi,
  store: Store,
  domain: string,
  value: string,
  answers: Answers,
): Promise<VaultOutcome> {
  const findings: Finding[] = [];
  const vaultName = vaultNameFor(domain);
  let vault: Vault | undefined;
  const storedVault = store.ownedId('ngrok-vault');
  if (storedVault)
    vault = await verifyStored(
      () => api.getVault(storedVault),
      `The vault ${storedVault}`,
      answers,
      () => {
        // Its secret went with it.
        for (const s of store.objectsOf('ngrok-vault-secret')) store.forgetObject('ngrok-vault-secret', s.id);
        store.forgetObject('ngrok-vault', storedVault);
      },
    );
  if (!vault) {
    try {
      const owner = store.owner();
      const { item, how } = await findOrCreate(
        api,
        async () => (await api.listVaults()).find((v) => v.name === vaultName),
        () => api.createVault(vaultName, mark(owner, `the FusionAuth client secret of ${domain}`, domain)),
        (id) => store.recordObject({ kind: 'ngrok-vault', id }),
        // The name comes from the domain: a second vault cannot have it.
        { what: `The vault ${vaultName}`, owner, answers, canCreateBeside: false },
      );
      vault = item;
      findings.push(finding.ok(`Vault ${vaultName} ${how === 'created' ? 'created' : 'found'} (${item.id})`));
    } catch (error) {
      if (!isNgrokApiError(error) || error.status >= 500 || error.status === 401 || error.status === 429) throw error;
      store.setValues({ secretVault: undefined, secretName: undefined });
      return {
        findings: [
          finding.warn(
            `ngrok refused a vault for the client secret (${error.message}), so the traffic policy holds the secret itself.`,
            'Free a vault (ngrok api vaults list) and run this step again to move the secret into one.',
          ),
        ],
      };
    }
  }
  const secret = await reconcileSecret(api, store, vault, domain, value, answers);
  findings.push(
    finding.ok(
      `The client secret is in the vault as ${VAULT_SECRET_NAME} (${secret.id}): the policy names it, never holds it`,
    ),
  );
  store.setValues({ secretVault: vault.name, secretName: VAULT_SECRET_NAME });
  return { reference: secretReference(vault.name, VAULT_SECRET_NAME), findings };
}

async function reconcileSecret(
  api: NgrokApi,
  store: Store,
  vault: Vault,
  domain: string,
  value: string,
  answers: Answers,
): Promise<VaultSecret> {
  const storedId = store.ownedId('ngrok-vault-secret');
  let secret = storedId
    ? await verifyStored(
        () => api.getVaultSecret(storedId),
        `The vault secret ${storedId}`,
        answers,
        () => store.forgetObject('ngrok-vault-secret', storedId),
      )
    : undefined;
  if (secret && secret.vaultId !== vault.id) secret = undefined;
  if (secret)
    return store.values.secretFingerprint === fingerprint(value) ? secret : written(api, store, secret.id, value);
  const owner = store.owner();
  const { item, how } = await findOrCreate(
    api,
    async () => (await api.listVaultSecrets()).find((s) => s.vaultId === vault.id && s.name === VAULT_SECRET_NAME),
    () =>
      api.createVaultSecret(
        vault.id,
        VAULT_SECRET_NAME,
        value,
        mark(owner, `FusionAuth client secret of ${domain}`, domain),
      ),
    (id) => store.recordObject({ kind: 'ngrok-vault-secret', id, parent: vault.id }),
    // One name per vault: a second secret cannot have it.
    { what: `The vault secret ${VAULT_SECRET_NAME} in ${vault.name}`, owner, answers, canCreateBeside: false },
  );
  // One found (a create whose answer was lost, or an earlier run's) may hold another value.
  if (how === 'created') {
    store.setValues({ secretFingerprint: fingerprint(value) });
    return item;
  }
  return written(api, store, item.id, value);
}

/**
 * What the vault was last given, as a SHA-256 of the value: ngrok never shows the value, so this is how
 * a rerun knows whether to write it (a rerun only reads) and how one after a half-finished
 * `rotate-secret` knows it must. A hash of 32 random bytes gives nothing of them away.
 */
const fingerprint = (value: string): string => createHash('sha256').update(value).digest('hex');

async function written(api: NgrokApi, store: Store, id: string, value: string): Promise<VaultSecret> {
  const secret = await api.setVaultSecretValue(id, value);
  store.setValues({ secretFingerprint: fingerprint(value) });
  return secret;
}

/** Records that the vault holds `value` (rotate-secret, after its own write). */
export function recordVaultValue(store: Store, value: string): void {
  store.setValues({ secretFingerprint: fingerprint(value) });
}

/** The settings that name the vault secret, forgotten once destroy has deleted the vault (destroy.ts). */
export function forgetVaultValues(store: Store): void {
  store.setValues({ secretVault: undefined, secretName: undefined, secretFingerprint: undefined });
}
