// Set Up ngrok Cloud Edge, in the mode the account allows: `edge` (the guide exactly), `endpoint`
// (a cloud endpoint with an openid-connect traffic policy, today's equivalent) or `agent` (the agent
// enforces the policy itself; no API key needed). With an ngrok API key (NGROK_API_KEY,
// --ngrok-api-key-file, or typed here) the wizard does it through the API (core/ngrok/setup.ts);
// without one it says what to click and takes what the user pastes.
import { agentCommandLine, internalUrlFor } from '../core/agent';
import { finding, type Finding } from '../core/findings';
import { EDGES_RETIRED, ENDPOINT_MODE_PLAN_CODES, isNgrokApiError } from '../core/ngrok';
import { hasExternalNgrokKey, ngrokApiUrlFor, ngrokKeyFor, ngrokKeyText } from '../core/ngrok';
import { NEW_DOMAIN, NeedsAnswer, refuseOtherProfilesDomain, type Answers, type Ask } from '../core/ngrok';
import { checkNgrok, secondAgentCommand, setUpNgrok, writeWantedPolicy } from '../core/ngrok';
import { NGROK_MODES, type NgrokMode, type Values } from '../core/store';
import { internalUrl, optional, publicUrl, redirectUri, tunnelCommand } from '../core/validate';
import { fusionauthUrlFor, ngrokModeFor, redirectUriChoice, redirectUriFor, sitePortFor } from '../core/settings';
import { row, type ApplyResult, type Input, type Question, type Step, type StepContext } from './types';
import { labelOf, SECTION_EXPLAIN, SECTION_TITLES } from './catalog';
import { agentHasKey, applyAgent } from './ngrok-agent';
import { checkCloudEndpoint, checkEdgeByHand } from './ngrok-manual';
import { planFindings, retireOldMode, switchPlan, switchQuestion } from './ngrok-switch';
import { OTHERS_FLAGS } from '../core/ownership';

/** The field starts from a refused NGROK_OIDC_REDIRECT_URI as empty (a screen must draw; apply says why). */
const initialRedirectUri = (ctx: StepContext): string | undefined => {
  const choice = redirectUriChoice(ctx);
  return choice.ok ? choice.value : undefined;
};

const modeOf = (input: Input): NgrokMode => (input.switchMode || input.mode) as NgrokMode;

/** The API does the work: a mode that uses it, and a key from the flag, env or the field. */
function automated(input: Input, ctx: StepContext): boolean {
  return modeOf(input) !== 'agent' && (hasExternalNgrokKey(ctx) || Boolean(input.ngrokApiKey?.trim()));
}
const manual = (mode: NgrokMode) => (input: Input, ctx: StepContext) =>
  modeOf(input) === mode && !automated(input, ctx);
/** The Domain field (optional: the account has one) rather than the Endpoint (required). */
const domainField = (input: Input, ctx: StepContext) =>
  automated(input, ctx) || (modeOf(input) === 'agent' && agentHasKey(ctx));

function missingOidc(ctx: StepContext): Finding | undefined {
  const v = ctx.store.values;
  if (!fusionauthUrlFor(ctx) || !v.clientId || !v.clientSecret) {
    return finding.error(
      'The FusionAuth URL, Client Id and Client secret are needed first.',
      'Finish Set Up FusionAuth, then come back.',
    );
  }
  return undefined;
}

// ngrok: "Cloud endpoints are available on the pay-as-you-go plan" (https://ngrok.com/docs/endpoints/cloud-endpoints/)
// and "Internal endpoints are available on the Pay-as-you-go plan" (https://ngrok.com/docs/endpoints/internal-endpoints/),
// both under "pricing". Said on the form (instructions) and first among the results, so that a Free account is
// not surprised by a refusal.
const PLAN_LINE =
  "Endpoint mode needs ngrok's Pay-as-you-go plan: cloud endpoints and internal endpoints are not on the Free plan, where agent mode gives the same login.";
const planNote = (): Finding => finding.info(PLAN_LINE);

const MANUAL_INSTRUCTIONS: Record<NgrokMode, (ctx: StepContext) => string[]> = {
  edge: (ctx) => [
    'ngrok dashboard → Cloud Edge → Edges → Create Edge → HTTPS Edge → Create HTTPS Edge.',
    'Copy the endpoint (like https://abc123.ngrok.app) below.',
    `Click Start a Tunnel, copy the command and paste it below (it is pointed at port ${sitePortFor(ctx)} for you).`,
    `OIDC tab → Begin setup: Issuer URL ${fusionauthUrlFor(ctx) ?? '(your FusionAuth URL)'}, Client ID ${ctx.store.values.clientId ?? '(from FusionAuth)'}, Client Secret: the Client secret from FusionAuth.`,
    'Copy the Redirect URI read-only field below, then Save.',
  ],
  endpoint: () => [
    'Enter the URL your site will have: your ngrok domain, like https://abc123.ngrok.app (ngrok dashboard → Domains).',
    PLAN_LINE,
    'The wizard then writes the traffic policy (openid-connect, then forward-internal) and tells you where to paste it.',
  ],
  agent: (ctx) => [
    agentHasKey(ctx)
      ? 'With your ngrok API key the wizard finds your domain on the account (leave it empty to pick one of yours, or reserve a new one).'
      : 'Enter your ngrok domain, like https://abc123.ngrok.app (ngrok dashboard → Domains; every account has one).',
    'The wizard writes a traffic-policy file with openid-connect; the agent enforces it, so no ngrok API key is needed.',
  ],
};

const AUTOMATED_INSTRUCTIONS: Record<'edge' | 'endpoint', (ctx: StepContext) => string[]> = {
  edge: (ctx) => [
    'With your API key the wizard does what the guide clicks: a reserved domain, an HTTPS edge on it, a tunnel-group backend labelled edge=<edge id>,',
    `and the route / with that backend and the OIDC module (issuer ${fusionauthUrlFor(ctx) ?? 'your FusionAuth URL'}, client ${ctx.store.values.clientId ?? 'from FusionAuth'}, scopes openid profile email).`,
    'Leave the domain empty to pick one of yours or reserve a new one. A rerun reuses what exists.',
  ],
  endpoint: (ctx) => [
    `With your API key the wizard creates a cloud endpoint on your domain whose traffic policy logs visitors in with FusionAuth (${fusionauthUrlFor(ctx) ?? 'your FusionAuth URL'}, openid-connect), then forwards them to your agent's internal endpoint (forward-internal).`,
    PLAN_LINE,
    'Leave the domain empty to pick one of yours or reserve a new one. A rerun reuses what exists.',
  ],
};

function instructionsFor(ctx: StepContext, input: Input): string[] {
  const mode = modeOf(input) ?? ngrokModeFor(ctx);
  const lines =
    mode !== 'agent' && automated(input, ctx) ? AUTOMATED_INSTRUCTIONS[mode](ctx) : MANUAL_INSTRUCTIONS[mode](ctx);
  if (mode !== 'agent' && !hasExternalNgrokKey(ctx) && !input.ngrokApiKey?.trim()) {
    return [
      'An ngrok API key (ngrok dashboard → API Keys; not the authtoken) lets the wizard do this for you; leave it empty to do it by hand.',
      ...lines,
    ];
  }
  return lines;
}

// ---- questions

function questionFor(ask: Ask): Question {
  switch (ask.kind) {
    case 'recreate':
      return {
        key: 'recreate',
        prompt: `Create ${ask.missing.join(' and ')} again?`,
        choices: [{ key: 'y', label: 'create it again', value: 'yes' }],
      };
    case 'others':
      // The warning above the question says whose it is; the prompt only asks.
      return {
        key: 'others',
        prompt: ask.canCreateBeside
          ? 'Use it anyway, or create a new one for this setup?'
          : 'Use it anyway, or give this setup another domain?',
        choices: [
          { key: 'u', label: 'use it anyway (it stays theirs)', value: 'use' },
          // A second one cannot share the URL: "new" stops with the way to another domain (e edit, or --url).
          { key: 'n', label: ask.canCreateBeside ? 'create a new one' : 'another domain', value: 'new' },
        ],
        noInputRefusal: ask.canCreateBeside
          ? `${ask.what} is ${ask.owner}: ${OTHERS_FLAGS}.`
          : `${ask.what} is ${ask.owner}: pass --use-existing to use it (it stays theirs), or --url with another domain.`,
      };
    case 'pick-domain':
      return {
        key: 'domainChoice',
        prompt: 'Which domain should the site be on?',
        choices: [
          ...ask.domains.slice(0, 9).map((domain, i) => ({ key: String(i + 1), label: domain, value: domain })),
          { key: 'n', label: 'reserve a new domain', value: NEW_DOMAIN },
        ],
      };
  }
}

const SWITCH_TO_ENDPOINT: Question = {
  key: 'switchMode',
  prompt: 'Switch to endpoint mode (a cloud endpoint with the same login)?',
  choices: [{ key: 'e', label: 'switch to endpoint mode', value: 'endpoint' }],
};

const SWITCH_TO_AGENT: Question = {
  key: 'switchMode',
  prompt: 'Switch to agent mode (the agent enforces the same login; it works on the Free plan)?',
  choices: [{ key: 'a', label: 'switch to agent mode', value: 'agent' }],
};

/**
 * `--url`, else the stored endpoint, else the domain an API run settled on before ngrok refused it (a
 * rerun in agent mode takes it).
 */
const endpointUrlInitial = (ctx: StepContext): string | undefined =>
  ctx.options.url ??
  ctx.store.values.endpointUrl ??
  (ctx.store.values.domain ? `https://${ctx.store.values.domain}` : undefined);

const answersFrom = (input: Input, ctx: StepContext): Answers => ({
  recreate: input.recreate === 'yes',
  domain: input.domainChoice || undefined,
  others: input.others === 'use' || input.others === 'new' ? input.others : ctx.options.othersObjects,
});

// ---- the automated path

/** What a setUpNgrok run takes from the context: the same for this section and for Next Steps. */
export function ngrokRunFrom(ctx: StepContext) {
  return {
    store: ctx.store,
    apiUrl: ngrokApiUrlFor(ctx.env),
    signal: ctx.signal,
    port: sitePortFor(ctx),
    fusionauthUrl: fusionauthUrlFor(ctx)!,
    redirectUri: redirectUriFor(ctx),
    domainsOfOtherProfiles: ctx.domainsOfOtherProfiles,
  };
}

async function applyAutomated(ctx: StepContext, input: Input, mode: NgrokMode): Promise<ApplyResult> {
  const typedKey = input.ngrokApiKey?.trim();
  const key = ngrokKeyFor(ctx, typedKey);
  const domain = input.domain?.trim() ? publicUrl(input.domain) : undefined;
  if (domain && !domain.ok) return { status: 'failed', findings: [finding.error(domain.message)] };
  const internal = mode === 'endpoint' ? optional(internalUrl)(input.internalUrl ?? '') : undefined;
  if (internal && !internal.ok) return { status: 'failed', findings: [finding.error(internal.message)] };
  try {
    const findings = await setUpNgrok({
      ...ngrokRunFrom(ctx),
      mode,
      key,
      domain: domain?.value,
      internalUrl: internal?.ok ? internal.value || undefined : undefined,
      answers: answersFrom(input, ctx),
      noInput: ctx.options.noInput,
      // Only a typed key is kept, and only once ngrok has accepted it.
      onKeyAccepted: () => key?.source === 'typed' && ctx.store.setValues({ ngrokApiKey: key.key }),
    });
    if (mode === 'endpoint') findings.unshift(planNote());
    if (input.switchMode) findings.unshift(finding.ok('Switched to endpoint mode.'));
    return { status: 'done', findings };
  } catch (error) {
    if (error instanceof NeedsAnswer)
      return { status: 'ask', question: questionFor(error.ask), findings: [finding.warn(error.message, error.hint)] };
    if (isNgrokApiError(error, undefined, EDGES_RETIRED) && mode === 'edge') {
      return { status: 'ask', question: SWITCH_TO_ENDPOINT, findings: [finding.warn(error.message, error.hint)] };
    }
    if (isNgrokApiError(error) && error.code && ENDPOINT_MODE_PLAN_CODES.includes(error.code) && mode === 'endpoint') {
      return { status: 'ask', question: SWITCH_TO_AGENT, findings: [finding.warn(error.message, error.hint)] };
    }
    throw error;
  }
}

// ---- the manual path (no API key): what the user pasted

async function applyManual(ctx: StepContext, input: Input, mode: NgrokMode): Promise<ApplyResult> {
  const endpoint = publicUrl(input.endpointUrl ?? '');
  if (!endpoint.ok) return { status: 'failed', findings: [finding.error(endpoint.message)] };
  refuseOtherProfilesDomain(new URL(endpoint.value).hostname, ctx.domainsOfOtherProfiles);
  const port = sitePortFor(ctx);
  const common: Partial<Values> = {
    ngrokMode: mode,
    endpointUrl: endpoint.value,
    domain: new URL(endpoint.value).hostname,
    redirectUri: redirectUriFor(ctx),
  };
  const second = (v: Values) => {
    const command = secondAgentCommand(v);
    return command ? [finding.ok(`Second app: ${command}`)] : [];
  };

  if (mode === 'edge') {
    const command = tunnelCommand(input.tunnelCommand ?? '');
    const redirect = redirectUri(input.redirectUri ?? '');
    if (!command.ok || !redirect.ok)
      return {
        status: 'failed',
        findings: [command, redirect].flatMap((r) => (r.ok ? [] : [finding.error(r.message)])),
      };
    const agentCommand = agentCommandLine({ mode, port, edgeId: command.value.edgeId, region: command.value.region });
    ctx.store.setValues({
      ...common,
      redirectUri: redirect.value,
      edgeId: command.value.edgeId,
      region: command.value.region,
      agentCommand,
      internalUrl: undefined,
      policyFile: undefined,
    });
    // The edge id and its URL are as pasted: what the public URL shows of them is checked, the rest is said to be unchecked.
    const findings = [
      finding.info(`Edge ${command.value.edgeId} at ${endpoint.value}, as pasted`),
      await checkEdgeByHand(ctx, endpoint.value),
      finding.ok(`Agent command: ${agentCommand}`),
      ...second(ctx.store.values),
    ];
    if (command.value.port !== port)
      findings.push(
        finding.info(
          `The pasted command pointed at port ${command.value.port}; it now points at your site on port ${port}, as the guide says.`,
        ),
      );
    return { status: 'done', findings };
  }

  if (mode === 'endpoint') {
    const internal = optional(internalUrl)(input.internalUrl ?? '');
    if (!internal.ok) return { status: 'failed', findings: [finding.error(internal.message)] };
    const internalValue = internal.value || internalUrlFor(endpoint.value);
    const policyFile = await writeWantedPolicy(ctx.store, fusionauthUrlFor(ctx)!, mode, endpoint.value, internalValue);
    const agentCommand = agentCommandLine({ mode, port, internalUrl: internalValue });
    ctx.store.setValues({
      ...common,
      internalUrl: internalValue,
      policyFile,
      agentCommand,
      edgeId: undefined,
      region: undefined,
    });
    const findings = [
      planNote(),
      finding.ok(`Traffic policy written to ${policyFile} (it holds the client secret: mode 0600).`),
    ];
    if (input.endpointCreated !== 'yes') {
      return {
        status: 'ask',
        findings: [
          ...findings,
          finding.info(
            `ngrok dashboard → Endpoints → New → Cloud Endpoint: URL ${endpoint.value}; Traffic Policy: paste the contents of ${policyFile} (e.g. cat it). Save.`,
          ),
        ],
        question: {
          key: 'endpointCreated',
          prompt: 'Have you created the cloud endpoint?',
          choices: [{ key: 'y', label: 'yes, it is saved', value: 'yes' }],
        },
      };
    }
    // "Yes" is not taken on trust: the public URL must show the endpoint.
    const checked = await checkCloudEndpoint(ctx, endpoint.value, internalValue, policyFile);
    if (!checked.ok) return { status: 'failed', findings: [...findings, ...checked.findings] };
    return {
      status: 'done',
      findings: [
        ...findings,
        ...checked.findings,
        finding.ok(`Agent command: ${agentCommand}`),
        ...second(ctx.store.values),
      ],
    };
  }
  throw new Error(`no manual path for mode ${mode}`);
}

// ---- the step

async function applyMode(ctx: StepContext, input: Input, mode: NgrokMode): Promise<ApplyResult> {
  if (mode === 'agent') {
    try {
      return await applyAgent(ctx, input, ngrokRunFrom(ctx), answersFrom(input, ctx));
    } catch (error) {
      if (error instanceof NeedsAnswer)
        return {
          status: 'ask',
          question: questionFor(error.ask),
          findings: [finding.warn(error.message, error.hint)],
        };
      throw error;
    }
  }
  // An emptied key field is the manual path; a key typed earlier is forgotten with it.
  if (!hasExternalNgrokKey(ctx) && !input.ngrokApiKey?.trim() && ctx.store.values.ngrokApiKey)
    ctx.store.setValues({ ngrokApiKey: undefined });
  return automated(input, ctx) ? applyAutomated(ctx, input, mode) : applyManual(ctx, input, mode);
}

export const ngrok: Step = {
  id: 'ngrok',
  title: SECTION_TITLES.ngrok,
  explain: SECTION_EXPLAIN.ngrok,
  instructions: instructionsFor,
  fields: [
    {
      kind: 'choice',
      key: 'mode',
      label: 'ngrok mode',
      flag: '--ngrok-mode',
      initial: (ctx) => ngrokModeFor(ctx),
      choices: [
        {
          value: 'endpoint',
          label: 'Cloud endpoint',
          hint: "today's Cloud Edge: a cloud endpoint with an openid-connect policy (Pay-as-you-go plan)",
        },
        {
          value: 'edge',
          label: 'HTTPS edge',
          hint: 'the guide exactly; only accounts that still have Edges (retired 2025-12-31)',
        },
        {
          value: 'agent',
          label: 'Agent policy',
          hint: 'the agent enforces the policy; no ngrok API key; works on the Free plan',
        },
      ],
    },
    {
      kind: 'text',
      key: 'ngrokApiKey',
      label: 'ngrok API key',
      secret: true,
      help: 'ngrok dashboard → API Keys (not the authtoken). Leave empty to do this step by hand.',
      when: (input, ctx) => modeOf(input) !== 'agent' && !hasExternalNgrokKey(ctx),
      initial: (ctx) => ctx.store.values.ngrokApiKey,
      validate: (t) => ngrokKeyText(t),
    },
    {
      kind: 'text',
      key: 'domain',
      label: 'Domain',
      placeholder: 'my-site.ngrok.app',
      help: 'Leave empty to pick one of your reserved domains or reserve a new one.',
      flag: '--url',
      when: domainField,
      initial: (ctx) => ctx.options.url ?? ctx.store.values.domain,
      validate: optional(publicUrl),
    },
    {
      kind: 'text',
      key: 'endpointUrl',
      label: labelOf('endpointUrl'),
      flag: '--url',
      placeholder: 'https://abc123.ngrok.app',
      when: (input, ctx) => !domainField(input, ctx),
      initial: endpointUrlInitial,
      validate: (t) => publicUrl(t),
    },
    {
      kind: 'text',
      key: 'tunnelCommand',
      label: 'Tunnel command',
      placeholder: 'ngrok tunnel --label edge=edghts_… http://localhost:80',
      when: manual('edge'),
      initial: (ctx) =>
        ctx.store.values.agentCommand?.startsWith('ngrok tunnel') ? ctx.store.values.agentCommand : undefined,
      validate: (t) => tunnelCommand(t),
    },
    {
      kind: 'text',
      key: 'redirectUri',
      label: 'Redirect URI',
      help: 'The read-only field on the OIDC tab.',
      when: manual('edge'),
      initial: (ctx) => initialRedirectUri(ctx),
      validate: (t) => redirectUri(t),
    },
    {
      kind: 'text',
      key: 'internalUrl',
      label: 'Internal URL',
      help: 'Leave empty for https://<your-domain-name>.internal',
      when: (input) => modeOf(input) === 'endpoint',
      initial: (ctx) => ctx.store.values.internalUrl ?? '',
      validate: optional(internalUrl),
    },
  ],
  async check(ctx) {
    // Another mode asked for with --ngrok-mode: what holds is not what is wanted (going on shows the plan).
    const stored = ctx.store.values.ngrokMode;
    if (ctx.options.ngrokMode && stored && ctx.options.ngrokMode !== stored) {
      return {
        done: false,
        findings: [
          finding.info(
            `--ngrok-mode asks for ${ctx.options.ngrokMode} mode; this setup is in ${stored} mode.`,
            'Going on switches it: the plan (kept, retired, created) is shown first.',
          ),
        ],
      };
    }
    // Another public URL asked for with --url: what holds is not what is wanted.
    const { endpointUrl } = ctx.store.values;
    if (ctx.options.url && endpointUrl && ctx.options.url !== endpointUrl) {
      return {
        done: false,
        findings: [
          finding.info(
            `--url asks for ${ctx.options.url}; this setup has ${endpointUrl}.`,
            'Going on sets the site up there.',
          ),
        ],
      };
    }
    const key = ngrokKeyFor(ctx, ctx.store.values.ngrokApiKey);
    const result = await checkNgrok({
      store: ctx.store,
      key,
      apiUrl: ngrokApiUrlFor(ctx.env),
      signal: ctx.signal,
      fusionauthUrl: fusionauthUrlFor(ctx),
    });
    // Endpoint mode by hand: the stored values say what was pasted; the public URL says whether it holds.
    const v = ctx.store.values;
    if (!result.done || key || v.ngrokMode !== 'endpoint' || !v.endpointUrl || !v.internalUrl || !v.policyFile)
      return result;
    const checked = await checkCloudEndpoint(ctx, v.endpointUrl, v.internalUrl, v.policyFile);
    return { done: checked.ok, findings: [...result.findings, ...checked.findings] };
  },
  async apply(ctx, input): Promise<ApplyResult> {
    const mode = modeOf(input);
    if (!NGROK_MODES.includes(mode))
      return { status: 'failed', findings: [finding.error(`Unknown ngrok mode "${input.mode}".`)] };
    const missing = missingOidc(ctx);
    if (missing) return { status: 'failed', findings: [missing] };
    // Another mode than the setup has: the plan first, confirmed (a switch offered after a refusal was confirmed by its own question).
    const plan = input.switchMode ? undefined : switchPlan(ctx.store, mode);
    if (plan && input.switchPlan !== 'yes')
      return { status: 'ask', findings: planFindings(plan), question: switchQuestion(plan) };
    const retired = plan ? await retireOldMode(ctx, plan, input.ngrokApiKey?.trim()) : [];
    const result = await applyMode(ctx, input, mode);
    return retired.length ? { ...result, findings: [...retired, ...result.findings] } : result;
  },
  summary: (v) => [
    ...row(labelOf('ngrokMode'), v.ngrokMode),
    ...row(labelOf('endpointUrl'), v.endpointUrl, false, 'endpointUrl'),
    ...row(labelOf('edgeId'), v.edgeId),
    ...row(labelOf('internalUrl'), v.internalUrl),
    ...row(labelOf('policyFile'), v.policyFile),
    ...row(labelOf('agentCommand'), v.agentCommand),
    ...row('Second app command', secondAgentCommand(v)),
    ...row(labelOf('redirectUri'), v.redirectUri, false, 'redirectUri'),
  ],
};
