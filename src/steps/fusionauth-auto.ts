// Set Up FusionAuth with an API key: the key checked, the tenant chosen, its issuer set (on
// confirmation) and proven through discovery, the application created or found again and brought in
// line, its Client Id and secret kept. Every step is idempotent: a rerun changes nothing that is right.
import type { Application } from '@fusionauth/typescript-client';
import { ISSUER_WHY } from '../core/fusionauth';
import {
  clientIdOf,
  clientSecretOf,
  converge,
  createApplication,
  findByName,
  retrieveApplication,
  whoseApplication,
  applicationDrift,
} from '../core/fusionauth';
import type { FusionAuthApi } from '../core/fusionauth';
import { describeKeySource } from '../core/fusionauth';
import { openSession } from '../core/fusionauth';
import { checkKey, listTenants, proveIssuer, readTenant, setIssuer, type TenantInfo } from '../core/fusionauth';
import { finding, hasErrors, type Finding } from '../core/findings';
import { OTHERS_FLAGS, ownerWords, type Others } from '../core/ownership';
import { fusionauthUrlFor } from '../core/settings';
import type { ApplyResult, CheckResult, Input, Question, StepContext } from './types';
import { selfCommandQuoted } from '../core/text';

const KEYS = '123456789abcdefghijklmnopqrstuvwxyz';

type Picked = { tenant: TenantInfo } | { result: ApplyResult };

/** The tenant: the one stored, else the only one the key sees, else the user's pick. */
function pickTenant(ctx: StepContext, tenants: TenantInfo[], input: Input, findings: Finding[]): Picked {
  const stored = ctx.store.values.tenantId;
  if (stored) {
    const tenant = tenants.find((t) => t.id === stored);
    if (tenant) return { tenant };
    const seen = tenants.map((t) => `"${t.name}"`).join(', ') || 'none';
    return {
      result: {
        status: 'failed',
        findings: [
          ...findings,
          finding.error(
            `This setup uses tenant ${stored}, which this API key does not see (it sees ${seen}).`,
            `The key is scoped to another tenant, or the tenant was deleted: use a key for tenant ${stored} or one without a tenant (FusionAuth → Settings → API Keys); to start over in another tenant, run ${selfCommandQuoted('reset')}.`,
          ),
        ],
      },
    };
  }
  if (tenants.length === 1) return { tenant: tenants[0]! };
  if (!tenants.length)
    return {
      result: {
        status: 'failed',
        findings: [
          ...findings,
          finding.error(
            'This API key sees no tenant.',
            'Use a key without a tenant, or one for the tenant that should hold the application.',
          ),
        ],
      },
    };
  const answered = tenants.find((t) => t.id === input.tenantId);
  if (answered) return { tenant: answered };
  const question: Question = {
    key: 'tenantId',
    prompt: 'This FusionAuth has several tenants. Which one should hold the application for ngrok?',
    choices: tenants
      .slice(0, KEYS.length)
      .map((t, i) => ({ key: KEYS[i]!, label: `${t.name} (issuer ${t.issuer})`, value: t.id })),
  };
  return { result: { status: 'ask', question, findings } };
}

type Found =
  | { app: Application; how: 'stored' | 'adopted' | 'reused' }
  | { result: ApplyResult }
  | { app?: undefined; name?: string };

/**
 * The application another setup of this tool made (or an earlier version, whose mark names no
 * setup): a question, or the answer `--use-existing` / `--create-new` gave. "Use it" leaves it theirs
 * (never recorded: `destroy` here leaves it); "create a new one" makes this setup its own beside it,
 * under a name FusionAuth accepts (application names are unique in a tenant: `[duplicate]application.name`).
 */
function othersApplication(
  ctx: StepContext,
  app: Application,
  who: Others,
  name: string,
  input: Input,
  findings: Finding[],
): Found {
  const answer = input.othersApplication ?? ctx.options.othersObjects;
  if (answer === 'use') return { app, how: 'reused' };
  if (answer === 'new') return { name: `${name} (setup ${ctx.store.owner().setupId.slice(0, 8)})` };
  const words = `The application "${app.name}" (Client Id ${clientIdOf(app)}) is ${ownerWords(who)}`;
  return {
    result: {
      status: 'ask',
      findings: [
        ...findings,
        finding.warn(`${words}.`, 'Using it leaves it theirs: `destroy` here does not delete it.'),
      ],
      question: {
        key: 'othersApplication',
        // The warning above says whose it is; the prompt only asks.
        prompt: 'Use it anyway, or create a new one for this setup?',
        choices: [
          { key: 'u', label: 'use it anyway (it stays theirs)', value: 'use' },
          { key: 'n', label: 'create a new one', value: 'new' },
        ],
        noInputRefusal: `${words}: ${OTHERS_FLAGS}.`,
      },
    },
  };
}

/**
 * The application this setup already has: by the id stored (created id, then Client Id), else one
 * with the same name — this setup's (a run that crashed after creating it) is adopted, another
 * setup's is a question (othersApplication), the person's own is offered for reuse. Nothing found:
 * the caller creates it (under the name returned, when one is).
 */
async function findApplication(
  ctx: StepContext,
  api: FusionAuthApi,
  name: string,
  tenantId: string,
  input: Input,
  findings: Finding[],
): Promise<Found> {
  const { values } = ctx.store;
  const recorded = ctx.store.ownedId('fusionauth-application');
  for (const id of new Set([recorded, values.clientId].filter((x): x is string => Boolean(x)))) {
    const app = await retrieveApplication(api, id);
    if (app) return { app, how: 'stored' };
    findings.push(finding.warn(`FusionAuth no longer has the application ${id} stored from an earlier run.`));
  }
  const same = await findByName(api, name, tenantId);
  const owner = ctx.store.owner();
  const whoseIs = same.map((app) => ({ app, who: whoseApplication(app, owner) }));
  const ours = whoseIs.find((w) => w.who.kind === 'mine');
  if (ours) return { app: ours.app, how: 'adopted' };
  const theirs = whoseIs.find((w): w is { app: Application; who: Others } => w.who.kind !== 'not-ours');
  if (theirs) return othersApplication(ctx, theirs.app, theirs.who, name, input, findings);
  const other = same[0];
  if (!other) return {};
  if (input.reuseApplication === `reuse:${other.id}`) return { app: other, how: 'reused' };
  if (input.reuseApplication === `rename:${other.id}`) {
    return {
      result: {
        status: 'failed',
        findings: [
          ...findings,
          finding.error(
            `FusionAuth already has an application named "${name}".`,
            'Press e and give the application another name.',
          ),
        ],
      },
    };
  }
  const question: Question = {
    key: 'reuseApplication',
    prompt: `FusionAuth already has an application named "${other.name}" (Client Id ${clientIdOf(other)}). Use it for ngrok? The wizard then enables the Authorization Code and Refresh Token grants on it.`,
    choices: [
      { key: 'r', label: 'use it', value: `reuse:${other.id}` },
      { key: 'n', label: 'no, choose another name', value: `rename:${other.id}` },
    ],
  };
  return { result: { status: 'ask', question, findings } };
}

/** The issuer is the tenant's, not the application's: what changing it touches, said before it changes. */
const everyApplication = (tenant: TenantInfo) => `every application of tenant "${tenant.name}" uses it`;

/**
 * Issuer: confirmed (or --no-input, which says what the change touches) → PATCH; with --keep-issuer
 * never, the step fails with the fix instead. Then proven through discovery either way.
 */
async function issuerStep(
  ctx: StepContext,
  api: FusionAuthApi,
  url: string,
  tenant: TenantInfo,
  several: boolean,
  input: Input,
  findings: Finding[],
): Promise<ApplyResult | undefined> {
  const current = (await readTenant(api, tenant.id)).issuer ?? '';
  let changed = false;
  if (current === url) findings.push(finding.ok(`Tenant "${tenant.name}": issuer is ${url}`));
  else if (ctx.options.keepIssuer) {
    return {
      status: 'failed',
      findings: [
        ...findings,
        finding.error(
          `The tenant's issuer is "${current}", not ${url}, and --keep-issuer keeps it.`,
          `Tenants → ${tenant.name} → Issuer: set it to ${url} yourself when the other applications of the tenant allow it (${everyApplication(tenant)}), or run without --keep-issuer. ${ISSUER_WHY}`,
        ),
      ],
    };
  } else {
    const answer = input.setIssuer ?? (ctx.options.noInput ? 'yes' : undefined);
    if (!answer) {
      return {
        status: 'ask',
        findings: [
          ...findings,
          finding.warn(`Tenant "${tenant.name}": issuer "${current}" · FusionAuth URL ${url}`, ISSUER_WHY),
          finding.info(`The issuer is the tenant's: ${everyApplication(tenant)}, not only the application for ngrok.`),
        ],
        question: {
          key: 'setIssuer',
          prompt: `Set the issuer of tenant "${tenant.name}" to ${url}?`,
          choices: [
            { key: 'y', label: 'yes, set it', value: 'yes' },
            { key: 'n', label: 'no, I will change it myself', value: 'manual' },
          ],
        },
      };
    }
    if (answer === 'yes') {
      // Nobody was asked: the output says what the change touches, and how to keep it from happening.
      if (input.setIssuer === undefined)
        findings.push(
          finding.warn(
            `The tenant's issuer changes from "${current}" to ${url}: ${everyApplication(tenant)}.`,
            'To leave it as it is, run with --keep-issuer (the step then stops with what to do).',
          ),
        );
      await setIssuer(api, tenant.id, url);
      changed = true;
      findings.push(finding.ok(`Tenant "${tenant.name}": issuer set to ${url} (was "${current}")`));
    }
  }
  const proof = await proveIssuer(url, ctx.signal, changed);
  const tenantRight = changed || current === url;
  if (proof.ok)
    findings.push(
      finding.ok(
        `Discovery at ${url}/.well-known/openid-configuration says issuer ${proof.issuer}: exactly the URL, as ngrok requires`,
      ),
    );
  else if (tenantRight) {
    // The tenant is right, but FusionAuth answers the root discovery document for its default tenant
    // (or a cache still holds the old issuer).
    findings.push(
      finding.error(
        `Tenant "${tenant.name}" has the issuer ${url}, but ${url}/.well-known/openid-configuration, which ngrok reads, still says "${proof.issuer}".`,
        `FusionAuth answers that document for its default tenant${several ? '' : ' (a tenant-scoped key cannot tell whether this is it)'}: set the default tenant's issuer to ${url} as well, or use the default tenant; if it is the default tenant, wait a moment and press enter.`,
      ),
    );
  } else
    findings.push(
      finding.error(
        proof.message,
        `Tenants → ${tenant.name} → Issuer: set it to ${url} and Save, then press enter. ${ISSUER_WHY}`,
      ),
    );
  return undefined;
}

export async function applyWithKey(ctx: StepContext, input: Input, name: string): Promise<ApplyResult> {
  const url = fusionauthUrlFor(ctx);
  const { api, key } = await openSession(ctx, url);
  const findings: Finding[] = [];
  const version = await checkKey(api);
  findings.push(finding.ok(`FusionAuth ${version} accepts ${describeKeySource(key.source)}`));

  const tenants = await listTenants(api);
  const picked = pickTenant(ctx, tenants, input, findings);
  if ('result' in picked) return picked.result;
  const { tenant } = picked;
  ctx.store.setValues({ tenantId: tenant.id });
  api.useTenant(tenant.id);

  const asked = await issuerStep(ctx, api, url!, tenant, tenants.length > 1, input, findings);
  if (asked) return asked;

  const found = await findApplication(ctx, api, name, tenant.id, input, findings);
  if ('result' in found) return found.result;
  const keep = (app: Application) =>
    ctx.store.setValues({
      clientId: clientIdOf(app),
      clientSecret: clientSecretOf(app),
      applicationName: app.name ?? name,
    });
  let app: Application;
  // "Create a new one" beside another setup's takes a name of its own.
  const appName = found.app ? name : (found.name ?? name);
  if (found.app) {
    app = found.app;
    // Ours again after a crash: recorded as created, so `destroy` removes it.
    if (found.how === 'adopted') ctx.store.recordObject({ kind: 'fusionauth-application', id: app.id! });
  } else {
    app = await createApplication(api, appName, ctx.store.owner(), (createdApp) => {
      ctx.store.recordObject({ kind: 'fusionauth-application', id: createdApp.id! });
      keep(createdApp);
    });
    findings.push(
      finding.ok(
        `Created the application "${appName}" with the Authorization Code and Refresh Token grants (Client Id ${clientIdOf(app)})`,
      ),
    );
  }
  const { application, changed } = await converge(api, app, { name: appName, oauthGrants: true });
  keep(application);
  if (found.app) {
    const how = {
      stored: 'Application',
      adopted: 'Found the application this wizard created in an earlier run:',
      reused: 'Using the existing application',
    }[found.how];
    findings.push(
      finding.ok(
        `${how} "${application.name}" (Client Id ${clientIdOf(application)})${changed.length ? `: ${changed.join(', ')}` : ': already as the guide wants it'}`,
      ),
    );
  }
  return { status: hasErrors(findings) ? 'failed' : 'done', findings };
}

/** What holds, read through the API without changing anything. */
export async function checkWithKey(ctx: StepContext): Promise<CheckResult> {
  const url = fusionauthUrlFor(ctx);
  const { values } = ctx.store;
  const { api } = await openSession(ctx, url, values.tenantId);
  const findings: Finding[] = [];
  await checkKey(api);
  const tenants = await listTenants(api);
  const tenant = tenants.find((t) => t.id === values.tenantId) ?? (tenants.length === 1 ? tenants[0] : undefined);
  if (!tenant) {
    findings.push(
      finding.info(
        values.tenantId
          ? `This API key does not see tenant ${values.tenantId}.`
          : 'This FusionAuth has several tenants: you choose one when you go on.',
      ),
    );
    return { done: false, findings };
  }
  api.useTenant(tenant.id);
  findings.push(
    tenant.issuer === url
      ? finding.ok(`Tenant "${tenant.name}": issuer is ${url}`)
      : finding.warn(
          `Tenant "${tenant.name}": issuer "${tenant.issuer}" · FusionAuth URL ${url}`,
          `Going on sets it (you are asked first). ${ISSUER_WHY}`,
        ),
  );
  const id = ctx.store.ownedId('fusionauth-application') ?? values.clientId;
  const app = id ? await retrieveApplication(api, id) : undefined;
  if (!id) findings.push(finding.info('No application yet: going on creates it.'));
  else if (!app)
    findings.push(finding.warn(`FusionAuth no longer has the application ${id}.`, 'Going on creates it again.'));
  else {
    const drift = applicationDrift(app, { oauthGrants: true });
    if (drift.length)
      findings.push(finding.warn(`Application "${app.name}" needs: ${drift.join(', ')}.`, 'Going on fixes it.'));
    else if (clientSecretOf(app) !== values.clientSecret)
      findings.push(
        finding.warn(`The stored Client secret is not the application's.`, 'Going on stores the right one.'),
      );
    else
      findings.push(
        finding.ok(
          `Application "${app.name}" (Client Id ${clientIdOf(app)}) has the Authorization Code and Refresh Token grants`,
        ),
      );
  }
  if (tenant.issuer === url) {
    const proof = await proveIssuer(url!, ctx.signal);
    findings.push(
      proof.ok ? finding.ok(`Discovery says issuer ${proof.issuer}`) : finding.error(proof.message, ISSUER_WHY),
    );
  }
  const done = Boolean(app && values.clientId && values.clientSecret) && !findings.some((f) => f.level !== 'ok');
  return { done, findings };
}
