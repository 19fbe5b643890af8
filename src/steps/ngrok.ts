// Set Up ngrok Cloud Edge, in the mode the account allows: `edge` (the guide exactly), `endpoint`
// (a cloud endpoint with an openid-connect traffic policy, today's equivalent) or `agent` (the agent
// enforces the policy itself; no API key needed).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { agentCommandLine, internalUrlFor } from '../core/agent-command';
import { finding, type Finding } from '../core/findings';
import { trafficPolicy, writePolicyFile } from '../core/policy';
import { NGROK_MODES, type NgrokMode, type Values } from '../core/store';
import { internalUrl, publicUrl, redirectUri, tunnelCommand, type Validation } from '../core/validate';
import { fusionauthUrlFor, ngrokModeFor, redirectUriFor, sitePortFor } from './defaults';
import { row, type ApplyResult, type Input, type Step, type StepContext } from './types';

export const POLICY_FILE_NAME = 'traffic-policy.yml';
const isMode = (mode: NgrokMode) => (input: Input) => input.mode === mode;
const optional = (check: (t: string) => Validation<string>) => (text: string) => (text.trim() ? check(text) : ({ ok: true, value: '' } as const));

function missingOidc(ctx: StepContext): Finding | undefined {
  const v = ctx.store.values;
  if (!fusionauthUrlFor(ctx) || !v.clientId || !v.clientSecret) {
    return finding.error('The FusionAuth URL, Client Id and Client secret are needed first.', 'Finish Set Up FusionAuth, then come back.');
  }
  return undefined;
}

async function writePolicy(ctx: StepContext, mode: NgrokMode, internal?: string): Promise<string> {
  const v = ctx.store.values;
  const file = path.join(ctx.store.dir, POLICY_FILE_NAME);
  const policy = trafficPolicy({ issuerUrl: fusionauthUrlFor(ctx)!, clientId: v.clientId!, clientSecret: v.clientSecret! }, mode === 'endpoint' ? internal : undefined);
  await writePolicyFile(file, policy);
  return file;
}

const MODE_INSTRUCTIONS: Record<NgrokMode, (ctx: StepContext) => string[]> = {
  edge: (ctx) => [
    'ngrok dashboard → Cloud Edge → Edges → Create Edge → HTTPS Edge → Create HTTPS Edge.',
    'Copy the endpoint (like https://abc123.ngrok.app) below.',
    `Click Start a Tunnel, copy the command and paste it below (it is pointed at port ${sitePortFor(ctx)} for you).`,
    `OIDC tab → Begin setup: Issuer URL ${fusionauthUrlFor(ctx) ?? '(your FusionAuth URL)'}, Client ID ${ctx.store.values.clientId ?? '(from FusionAuth)'}, Client Secret: the Client secret from FusionAuth.`,
    'Copy the Redirect URI read-only field below, then Save.',
  ],
  endpoint: () => [
    'Enter the URL your site will have: your ngrok domain, like https://abc123.ngrok.app (ngrok dashboard → Domains).',
    'The wizard then writes the traffic policy (openid-connect, then forward-internal) and tells you where to paste it.',
  ],
  agent: () => [
    'Enter your ngrok domain, like https://abc123.ngrok.app (ngrok dashboard → Domains; every account has one).',
    'The wizard writes a traffic-policy file with openid-connect; the agent enforces it, so no ngrok API key is needed.',
  ],
};

export const ngrok: Step = {
  id: 'ngrok',
  title: 'Set Up ngrok Cloud Edge',
  explain: 'ngrok\'s cloud answers on a public URL and delegates authentication to FusionAuth with OpenID Connect, then forwards logged-in visitors to the agent on your machine.',
  instructions: (ctx, input) => MODE_INSTRUCTIONS[(input.mode as NgrokMode) ?? ngrokModeFor(ctx)](ctx),
  fields: [
    {
      kind: 'choice',
      key: 'mode',
      label: 'ngrok mode',
      initial: (ctx) => ngrokModeFor(ctx),
      choices: [
        { value: 'endpoint', label: 'Cloud endpoint', hint: 'today\'s Cloud Edge: a cloud endpoint with an openid-connect policy' },
        { value: 'edge', label: 'HTTPS edge', hint: 'the guide exactly; only accounts that still have Edges (retired 2025-12-31)' },
        { value: 'agent', label: 'Agent policy', hint: 'the agent enforces the policy; no ngrok API key' },
      ],
    },
    { kind: 'text', key: 'endpointUrl', label: 'Endpoint', placeholder: 'https://abc123.ngrok.app', initial: (ctx) => ctx.store.values.endpointUrl, validate: (t) => publicUrl(t) },
    { kind: 'text', key: 'tunnelCommand', label: 'Tunnel command', placeholder: 'ngrok tunnel --label edge=edghts_… http://localhost:80', when: isMode('edge'), initial: (ctx) => ctx.store.values.agentCommand?.startsWith('ngrok tunnel') ? ctx.store.values.agentCommand : undefined, validate: (t) => tunnelCommand(t) },
    { kind: 'text', key: 'redirectUri', label: 'Redirect URI', help: 'The read-only field on the OIDC tab.', when: isMode('edge'), initial: (ctx) => redirectUriFor(ctx), validate: (t) => redirectUri(t) },
    { kind: 'text', key: 'internalUrl', label: 'Internal URL', help: 'Leave empty for https://<your-domain-name>.internal', when: isMode('endpoint'), initial: (ctx) => ctx.store.values.internalUrl ?? '', validate: optional(internalUrl) },
  ],
  async check(ctx) {
    const v = ctx.store.values;
    const ready = ngrokReady(v);
    return { done: ready, findings: ready ? [finding.ok(`Endpoint ${v.endpointUrl}`), finding.ok(`Agent command: ${v.agentCommand}`)] : [] };
  },
  async apply(ctx, input): Promise<ApplyResult> {
    const mode = input.mode as NgrokMode;
    if (!NGROK_MODES.includes(mode)) return { status: 'failed', findings: [finding.error(`Unknown ngrok mode "${input.mode}".`)] };
    const missing = missingOidc(ctx);
    if (missing) return { status: 'failed', findings: [missing] };
    const endpoint = publicUrl(input.endpointUrl ?? '');
    if (!endpoint.ok) return { status: 'failed', findings: [finding.error(endpoint.message)] };
    const port = sitePortFor(ctx);
    const common: Partial<Values> = { ngrokMode: mode, endpointUrl: endpoint.value, redirectUri: redirectUriFor(ctx) };

    if (mode === 'edge') {
      const command = tunnelCommand(input.tunnelCommand ?? '');
      const redirect = redirectUri(input.redirectUri ?? '');
      if (!command.ok || !redirect.ok) return { status: 'failed', findings: [command, redirect].flatMap((r) => (r.ok ? [] : [finding.error(r.message)])) };
      const agentCommand = agentCommandLine({ mode, port, edgeId: command.value.edgeId, region: command.value.region });
      ctx.store.setValues({ ...common, redirectUri: redirect.value, edgeId: command.value.edgeId, region: command.value.region, agentCommand, internalUrl: undefined, policyFile: undefined });
      const findings = [finding.ok(`Edge ${command.value.edgeId} at ${endpoint.value}`), finding.ok(`Agent command: ${agentCommand}`)];
      if (command.value.port !== port) findings.push(finding.info(`The pasted command pointed at port ${command.value.port}; it now points at your site on port ${port}, as the guide says.`));
      return { status: 'done', findings };
    }

    if (mode === 'endpoint') {
      const internal = optional(internalUrl)(input.internalUrl ?? '');
      if (!internal.ok) return { status: 'failed', findings: [finding.error(internal.message)] };
      const internalValue = internal.value || internalUrlFor(endpoint.value);
      const policyFile = await writePolicy(ctx, mode, internalValue);
      const agentCommand = agentCommandLine({ mode, port, internalUrl: internalValue });
      ctx.store.setValues({ ...common, internalUrl: internalValue, policyFile, agentCommand, edgeId: undefined, region: undefined });
      const findings = [finding.ok(`Traffic policy written to ${policyFile} (it holds the client secret: mode 0600).`)];
      if (input.endpointCreated !== 'yes') {
        return {
          status: 'ask',
          findings: [...findings, finding.info(`ngrok dashboard → Endpoints → New → Cloud Endpoint: URL ${endpoint.value}; Traffic Policy: paste the contents of ${policyFile} (e.g. cat it). Save.`)],
          question: { key: 'endpointCreated', prompt: 'Have you created the cloud endpoint?', choices: [{ key: 'y', label: 'yes, it is saved', value: 'yes' }] },
        };
      }
      return { status: 'done', findings: [...findings, finding.ok(`Endpoint ${endpoint.value} forwards to ${internalValue}`), finding.ok(`Agent command: ${agentCommand}`)] };
    }

    const policyFile = await writePolicy(ctx, mode);
    const agentCommand = agentCommandLine({ mode, port, endpointUrl: endpoint.value, policyFile });
    ctx.store.setValues({ ...common, policyFile, agentCommand, edgeId: undefined, region: undefined, internalUrl: undefined });
    return { status: 'done', findings: [finding.ok(`Traffic policy written to ${policyFile} (mode 0600)`), finding.ok(`Agent command: ${agentCommand}`)] };
  },
  summary: (v) => [
    ...row('ngrok mode', v.ngrokMode),
    ...row('Endpoint', v.endpointUrl),
    ...row('Edge', v.edgeId),
    ...row('Internal URL', v.internalUrl),
    ...row('Policy file', v.policyFile),
    ...row('Agent command', v.agentCommand),
    ...row('Redirect URI', v.redirectUri),
  ],
};

function ngrokReady(v: Values): boolean {
  if (!v.ngrokMode || !v.endpointUrl || !v.agentCommand) return false;
  if (v.ngrokMode === 'edge') return Boolean(v.edgeId);
  return Boolean(v.policyFile && existsSync(v.policyFile));
}
