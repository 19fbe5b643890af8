// `rotate-secret`: a new client secret in FusionAuth and in ngrok's vault, proven by verify, and put
// back the way it was when anything fails. The order keeps a working login at every point a run can
// stop:
//   1. read first (the application, the vault secret): a setup that cannot be rotated changes nothing;
//   2. FusionAuth gets the new secret, and the store records it at once (so a rerun of `setup` after a
//      crash pushes it into the vault: vault.ts writes the stored value on every run);
//   3. the vault gets it: ngrok reads it at run time, so the policy itself never changes;
//   4. verify proves the login with it;
//   5. on a failed proof, an error or Ctrl-C: FusionAuth, the vault and the store get the old secret
//      back, with a fresh deadline (the run's own signal may be the Ctrl-C being handled).
// The new secret is made here (32 random bytes, base64url: 43 characters, FusionAuth's own length)
// because FusionAuth's API has no "regenerate" call: see setClientSecret.
import { randomBytes } from 'node:crypto';
import type { RunContext } from '../context';
import { UserError } from '../errors';
import { openSession, setClientSecret, type Session } from '../fusionauth';
import { NgrokApi, ngrokApiUrlFor, ngrokKeyFor, recordVaultValue, storedSecretReference } from '../ngrok';
import { givenSecrets } from '../secrets';
import { fusionauthUrlFor } from '../settings';
import { selfCommandQuoted } from '../text';
import type { VerifyReport } from '../tunnel';

export interface RotateHooks {
  /** A progress line (no secret in it). */
  say(line: string): void;
  /** The proof: verify, run with the store as it is at that moment. */
  verify(): Promise<VerifyReport>;
  /** Tests stop FusionAuth or ngrok at a chosen point; called after each stage. */
  after?(stage: 'fusionauth' | 'vault'): Promise<void> | void;
  /** A new secret; tests pass their own. */
  newSecret?: () => string;
}

export type RotateOutcome =
  | { kind: 'rotated'; report: VerifyReport }
  | { kind: 'rolled-back'; report?: VerifyReport; reason: string; leftover: string[] };

const ROLLBACK_DEADLINE_MS = 30_000;

/** What rotation needs; a UserError naming what is missing otherwise (nothing is changed). */
function requireRotatable(ctx: RunContext): { applicationId: string; secretId: string; oldSecret: string } {
  const v = ctx.store.values;
  const secretId = ctx.store.ownedId('ngrok-vault-secret');
  if (!v.clientId || !v.clientSecret)
    throw new UserError('There is no client secret to rotate yet.', {
      hint: `Run ${selfCommandQuoted()} to finish the setup first.`,
    });
  if (v.ngrokMode === 'edge' || !storedSecretReference(v) || !secretId)
    throw new UserError(
      "rotate-secret changes the secret in ngrok's vault, and this setup's policy holds the secret itself.",
      {
        hint:
          v.ngrokMode === 'edge'
            ? `An edge's OIDC module cannot read a vault: ${selfCommandQuoted('setup', '--ngrok-mode', 'endpoint')} moves to one.`
            : `Run ${selfCommandQuoted('setup')} with an ngrok API key (NGROK_API_KEY): it moves the secret into a vault.`,
      },
    );
  return { applicationId: v.clientId, secretId, oldSecret: v.clientSecret };
}

interface Services {
  fusionauth: Session;
  ngrok: NgrokApi;
}

async function connect(ctx: RunContext, signal: AbortSignal, secrets: string[]): Promise<Services> {
  const key = ngrokKeyFor(ctx, ctx.store.values.ngrokApiKey);
  if (!key)
    throw new UserError('No ngrok API key to update the vault with.', {
      hint: 'Set NGROK_API_KEY (or pass --ngrok-api-key-file).',
    });
  const run = { ...ctx, signal };
  const fusionauth = await openSession(run, fusionauthUrlFor(ctx), ctx.store.values.tenantId);
  const ngrok = new NgrokApi({ apiKey: key.key, baseUrl: ngrokApiUrlFor(ctx.env), signal, secrets });
  return { fusionauth, ngrok };
}

export async function rotateClientSecret(ctx: RunContext, hooks: RotateHooks): Promise<RotateOutcome> {
  const { applicationId, secretId, oldSecret } = requireRotatable(ctx);
  const newSecret = hooks.newSecret?.() ?? randomBytes(32).toString('base64url');
  const secrets = [...givenSecrets(ctx), newSecret, oldSecret];
  const live = await connect(ctx, ctx.signal, secrets);

  hooks.say('Checking that the vault secret is there…');
  await live.ngrok.getVaultSecret(secretId);

  let changed: 'nothing' | 'fusionauth' | 'vault' = 'nothing';
  try {
    hooks.say(`Setting a new client secret on the FusionAuth application ${applicationId}…`);
    // From here FusionAuth may hold the new secret even if its answer is lost: the rollback covers it.
    changed = 'fusionauth';
    await setClientSecret(live.fusionauth.api, applicationId, newSecret);
    ctx.store.setValues({ clientSecret: newSecret });
    await hooks.after?.('fusionauth');
    hooks.say(`Storing it in the ngrok vault ${ctx.store.values.secretVault}…`);
    changed = 'vault';
    await live.ngrok.setVaultSecretValue(secretId, newSecret);
    recordVaultValue(ctx.store, newSecret);
    await hooks.after?.('vault');
    hooks.say('Proving the login with it (verify)…');
    const report = await hooks.verify();
    if (report.ok) return { kind: 'rotated', report };
    const leftover = await rollBack(ctx, changed, { applicationId, secretId, oldSecret, secrets }, hooks);
    return { kind: 'rolled-back', report, reason: 'verify did not pass with the new secret', leftover };
  } catch (error) {
    const leftover = await rollBack(ctx, changed, { applicationId, secretId, oldSecret, secrets }, hooks);
    if (ctx.signal.aborted) throw error;
    const reason = error instanceof UserError ? error.message : (error as Error).message;
    return { kind: 'rolled-back', reason, leftover };
  }
}

/** Puts the old secret back where the new one went; returns what could not be put back, in words. */
async function rollBack(
  ctx: RunContext,
  changed: 'nothing' | 'fusionauth' | 'vault',
  was: { applicationId: string; secretId: string; oldSecret: string; secrets: string[] },
  hooks: RotateHooks,
): Promise<string[]> {
  if (changed === 'nothing') return [];
  hooks.say('Putting the old client secret back…');
  const signal = AbortSignal.timeout(ROLLBACK_DEADLINE_MS);
  const leftover: string[] = [];
  let services: Services | undefined;
  try {
    services = await connect(ctx, signal, was.secrets);
  } catch (error) {
    leftover.push(`could not connect: ${(error as Error).message}`);
  }
  let fusionauthBack = false;
  if (services) {
    try {
      await setClientSecret(services.fusionauth.api, was.applicationId, was.oldSecret);
      fusionauthBack = true;
    } catch (error) {
      leftover.push(`FusionAuth: ${(error as Error).message}`);
    }
    // The vault follows FusionAuth: when FusionAuth keeps the new secret, so does the vault (and the
    // store), so the login works with it once FusionAuth answers again.
    if (changed === 'vault' && fusionauthBack)
      try {
        await services.ngrok.setVaultSecretValue(was.secretId, was.oldSecret);
        recordVaultValue(ctx.store, was.oldSecret);
      } catch (error) {
        leftover.push(`ngrok's vault: ${(error as Error).message}`);
      }
  }
  // The store follows FusionAuth too: it keeps the new secret only when FusionAuth could not take the old one back.
  if (fusionauthBack) ctx.store.setValues({ clientSecret: was.oldSecret });
  return leftover;
}
