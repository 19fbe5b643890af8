// Switching the ngrok mode of an existing setup (`--ngrok-mode` on a finished one, or another mode
// chosen on the screen) is a plan, shown before anything changes, as `terraform plan` is: what is kept
// (the domain, the FusionAuth application, the site), what is retired (the objects of the old mode,
// deleted through core/destroy, each reported) and what is created. Applied fully: the old mode's
// objects hold the domain (an edge or a cloud endpoint on it keeps an agent endpoint off it:
// ERR_NGROK_334), so they go first; then the new mode is set up as on a first run.
import { KINDS, removalOrder, removeObjects } from '../core/destroy';
import { UserError } from '../core/errors';
import { finding, type Finding } from '../core/findings';
import { NgrokApi, ngrokApiUrlFor, ngrokKeyFor } from '../core/ngrok';
import type { CreatedObject, NgrokMode, ObjectKind, Store } from '../core/store';
import type { Question, StepContext } from './types';

/** The ngrok objects each mode uses; a switch retires every recorded ngrok object the new mode does not. */
const USED_BY: Record<NgrokMode, readonly ObjectKind[]> = {
  edge: [
    'ngrok-reserved-domain',
    'ngrok-edge',
    'ngrok-edge-route',
    'ngrok-backend',
    'ngrok-ip-policy',
    'ngrok-ip-policy-rule',
  ],
  // The vault holds the client secret wherever a traffic policy reads it (core/ngrok/vault.ts): the
  // cloud endpoint's, and an agent's policy file when there is an API key. An edge's OIDC module cannot.
  endpoint: ['ngrok-reserved-domain', 'ngrok-cloud-endpoint', 'ngrok-vault', 'ngrok-vault-secret'],
  agent: ['ngrok-reserved-domain', 'ngrok-vault', 'ngrok-vault-secret'],
};

const MADE_BY: Record<NgrokMode, (domain: string) => string> = {
  edge: (d) =>
    `an HTTPS edge on ${d}, a tunnel-group backend labelled edge=<its id>, and the route / with the OIDC module`,
  endpoint: (d) =>
    `a cloud endpoint on ${d} whose traffic policy logs visitors in (openid-connect) and forwards to the agent's internal endpoint`,
  agent: (d) =>
    `the traffic-policy file (openid-connect), which the agent enforces on ${d}; the tunnel then starts \`ngrok http --url\``,
};

export interface SwitchPlan {
  from?: NgrokMode;
  to: NgrokMode;
  kept: string[];
  retired: CreatedObject[];
  created: string;
}

/**
 * The plan for setting the site up in `to` mode on this store; undefined when nothing switches (the
 * same mode, and no object of another mode recorded).
 */
export function switchPlan(store: Store, to: NgrokMode): SwitchPlan | undefined {
  const v = store.values;
  const from = v.ngrokMode;
  // In the order they are deleted (a vault after the endpoint whose policy reads it).
  const retired = removalOrder({
    objects: (store.created.objects ?? []).filter(
      (o) => KINDS[o.kind].service === 'ngrok' && !USED_BY[to].includes(o.kind),
    ),
  });
  if ((!from || from === to) && !retired.length) return undefined;
  const kept: string[] = [];
  if (v.domain)
    kept.push(
      `the domain ${v.domain}${store.objectsOf('ngrok-reserved-domain').length ? ' (reserved by this setup)' : ''}`,
    );
  // Short lines: the plan is read on an 80×24 (or 60×20) screen beside the step list.
  if (v.clientId) kept.push(`the FusionAuth application${v.applicationName ? ` "${v.applicationName}"` : ''}`);
  if (v.sitePort) kept.push(`the site (port ${v.sitePort})`);
  return { from, to, kept, retired, created: MADE_BY[to](v.domain ?? 'your domain') };
}

const modeWords = (plan: SwitchPlan) => `${plan.from ? `from ${plan.from} mode ` : ''}to ${plan.to} mode`;

/** The plan in lines, before anything changes. */
export function planFindings(plan: SwitchPlan): Finding[] {
  const label = (o: CreatedObject) => KINDS[o.kind].label(o);
  return [
    finding.info(`Switching ${modeWords(plan)}. The plan:`),
    finding.info(`Kept: ${plan.kept.length ? plan.kept.join('; ') : 'nothing recorded yet'}`),
    plan.retired.length
      ? finding.warn(`Retired (deleted from ngrok): ${plan.retired.map(label).join('; ')}`)
      : finding.info('Retired: nothing'),
    finding.info(`Created: ${plan.created}`),
  ];
}

/** The confirmation; `--no-input` takes it (the plan is printed first), as `setup --ngrok-mode` asked for the switch. */
export function switchQuestion(plan: SwitchPlan): Question {
  return {
    key: 'switchPlan',
    prompt: `Switch ${modeWords(plan)} as planned?`,
    choices: [{ key: 'y', label: 'yes, switch', value: 'yes' }],
    noInputAnswer: 'yes',
  };
}

/**
 * Deletes the plan's retired objects through core/destroy (each reported, forgotten once deleted). A
 * failure stops the switch before the new mode is set up: its objects would meet the old ones on
 * the domain. Without an ngrok API key nothing can be deleted: a sentence says what to do.
 */
export async function retireOldMode(ctx: StepContext, plan: SwitchPlan, typedKey?: string): Promise<Finding[]> {
  if (!plan.retired.length) return [];
  const key = ngrokKeyFor(ctx, typedKey || ctx.store.values.ngrokApiKey);
  if (!key)
    throw new UserError(
      `The switch must first delete what the old mode made (${plan.retired.map((o) => KINDS[o.kind].label(o)).join('; ')}), and there is no ngrok API key to do it with.`,
      {
        hint: 'Set NGROK_API_KEY (or pass --ngrok-api-key-file) and run this again, or run `ngrok-fusionauth destroy` first.',
      },
    );
  const api = new NgrokApi({ apiKey: key.key, baseUrl: ngrokApiUrlFor(ctx.env), signal: ctx.signal });
  const result = await removeObjects({ ngrok: api }, ctx.store, plan.retired, ctx.signal);
  if (result.left.length)
    throw new UserError(
      `The switch stopped: ${result.left.join('; ')} could not be deleted (${result.findings
        .filter((f) => f.level === 'error')
        .map((f) => f.title)
        .join(' ')}).`,
      { hint: 'Run this again: what was deleted is forgotten, the rest is tried again.' },
    );
  return result.findings;
}
