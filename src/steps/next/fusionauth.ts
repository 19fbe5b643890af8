// Next Steps, FusionAuth side: require registration for the application (and register a user), and
// fire a webhook when users log in. With an API key the wizard sets both; without one the guide's
// sentence says what to click.
import type { Application } from '@fusionauth/typescript-client';
import { converge, retrieveApplication } from '../../core/fusionauth';
import type { FusionAuthApi } from '../../core/fusionauth';
import { hasFusionAuthKey } from '../../core/fusionauth';
import { openSession } from '../../core/fusionauth';
import { registerByEmail } from '../../core/fusionauth';
import { ensureLoginWebhook, loginWebhookProblems } from '../../core/fusionauth';
import { errorFinding, finding, type Finding } from '../../core/findings';
import { email, optional, webhookUrl } from '../../core/validate';
import { fusionauthUrlFor } from '../../core/settings';
import { row, type Input, type StepContext } from '../types';
import type { NextStepsPart } from './part';
import { labelOf } from '../catalog';

const withKey = (_input: Input, ctx: StepContext) => hasFusionAuthKey(ctx);

/** One failing part is reported as one finding; the others still run. */
async function attempt(run: () => Promise<Finding[]>): Promise<Finding[]> {
  try {
    return await run();
  } catch (error) {
    return [errorFinding(error)];
  }
}

async function registration(ctx: StepContext, api: FusionAuthApi, app: Application, input: Input): Promise<Finding[]> {
  const wanted = input.requireRegistration === 'yes';
  ctx.store.setValues({ requireRegistration: wanted });
  const { changed } = await converge(api, app, { requireRegistration: wanted });
  const name = `"${app.name}"`;
  const findings = [
    wanted
      ? finding.ok(
          changed.length ? `Only users registered for ${name} can log in now` : `${name} already requires registration`,
        )
      : finding.ok(
          changed.length ? `${name} no longer requires registration` : `${name} lets every user of the tenant log in`,
        ),
  ];
  const who = input.registerEmail?.trim();
  if (wanted && who) {
    const done = await registerByEmail(api, who, app.id!);
    findings.push(
      finding.ok(done === 'already' ? `${who} is already registered for ${name}` : `Registered ${who} for ${name}`),
    );
  } else if (wanted)
    findings.push(
      finding.info(`Register the users who may log in: FusionAuth → Users → a user → Add registration → ${app.name}.`),
    );
  return findings;
}

async function loginWebhook(ctx: StepContext, api: FusionAuthApi, url: string, tenantId: string): Promise<Finding[]> {
  ctx.store.setValues({ webhookUrl: url });
  const result = await ensureLoginWebhook(
    api,
    { url, tenantId, storedId: ctx.store.ownedId('fusionauth-webhook'), owner: ctx.store.owner() },
    (webhook) => ctx.store.recordObject({ kind: 'fusionauth-webhook', id: webhook.id! }),
  );
  const id = result.webhook.id!;
  const problems = await loginWebhookProblems(api, id, url, tenantId);
  if (problems.length)
    return [
      finding.error(
        `Read back, the login webhook is not complete: ${problems.join('; ')}.`,
        'Check Settings → Webhooks and Tenants → Webhooks in FusionAuth.',
      ),
    ];
  const what = result.created
    ? 'Created a webhook'
    : result.changed.length
      ? `Updated the webhook (${result.changed.join(', ')})`
      : 'The webhook is already set';
  return [
    finding.ok(
      `${what}: every login sends user.login.success to ${url} (tenant event on, webhook covers the tenant, event on for the webhook)`,
    ),
  ];
}

export const fusionauthNextSteps: NextStepsPart = {
  fields: [
    {
      kind: 'choice',
      key: 'requireRegistration',
      label: 'Who may log in',
      when: withKey,
      initial: (ctx) => (ctx.store.values.requireRegistration ? 'yes' : 'no'),
      choices: [
        { value: 'no', label: 'Every user of the tenant' },
        {
          value: 'yes',
          label: 'Only users registered for the application',
          hint: 'FusionAuth\'s "Require registration"',
        },
      ],
    },
    {
      kind: 'text',
      key: 'registerEmail',
      label: 'Register a user (email)',
      help: 'Optional: an existing user to register for the application now. Empty: nobody.',
      when: (input, ctx) => hasFusionAuthKey(ctx) && input.requireRegistration === 'yes',
      initial: () => '',
      validate: optional(email),
    },
    {
      kind: 'text',
      key: 'webhookUrl',
      label: 'Login webhook URL',
      placeholder: 'https://example.com/hooks/login',
      help: 'Optional: FusionAuth POSTs a user.login.success event here on every login. Empty: no webhook.',
      when: withKey,
      initial: (ctx) => ctx.store.values.webhookUrl ?? '',
      validate: optional(webhookUrl),
    },
  ],
  instructions: (ctx) =>
    hasFusionAuthKey(ctx)
      ? [
          "FusionAuth: choose who may log in, and a URL to call when someone does; the wizard sets the application and the webhook (with the tenant's login event).",
        ]
      : ['FusionAuth: require users to be registered for the application, and fire a webhook when they log in.'],
  async apply(ctx, input) {
    if (!hasFusionAuthKey(ctx)) return [];
    const { clientId, tenantId } = ctx.store.values;
    if (!clientId) return [finding.error('No application yet.', 'Finish Set Up FusionAuth first.')];
    return attempt(async () => {
      const { api } = await openSession(ctx, fusionauthUrlFor(ctx), tenantId);
      const app = await retrieveApplication(api, clientId);
      if (!app)
        return [
          finding.error(
            `FusionAuth has no application ${clientId} (any more).`,
            'Go back to Set Up FusionAuth: it creates the application again.',
          ),
        ];
      const tenant = tenantId ?? app.tenantId!;
      api.useTenant(tenant);
      const findings = await attempt(() => registration(ctx, api, app, input));
      const hook = input.webhookUrl?.trim() ? webhookUrl(input.webhookUrl) : undefined;
      if (hook && !hook.ok) findings.push(finding.error(hook.message));
      else if (hook) findings.push(...(await attempt(() => loginWebhook(ctx, api, hook.value, tenant))));
      return findings;
    });
  },
  summary: (v) => [
    ...(v.requireRegistration ? row(labelOf('requireRegistration'), 'yes') : []),
    ...row(labelOf('webhookUrl'), v.webhookUrl),
  ],
};
