// Set Up ngrok Cloud Edge in agent mode: the agent enforces the traffic policy itself, so no ngrok API
// key is needed. With one anyway (NGROK_API_KEY, --ngrok-api-key-file, or typed on an earlier run),
// the domain is found on the account as endpoint mode finds it (core/ngrok/domain.ts): the one typed
// or given with --url, else the stored one, else the only one (or a question), else a new one. That is
// what makes `setup --no-input --ngrok-mode agent` work without a URL.
import { finding, type Finding } from '../core/findings';
import {
  NgrokApi,
  describeNgrokKeySource,
  hasExternalNgrokKey,
  ngrokApiUrlFor,
  ngrokKeyFor,
  resolveDomain,
  setUpNgrok,
  type Answers,
} from '../core/ngrok';
import { publicUrl } from '../core/validate';
import { agentDomainUnchecked } from './ngrok-manual';
import type { ApplyResult, Input, StepContext } from './types';

/** Agent mode with a key at hand: the Domain field (optional) instead of the Endpoint (required). */
export const agentHasKey = (ctx: StepContext): boolean =>
  hasExternalNgrokKey(ctx) || Boolean(ctx.store.values.ngrokApiKey);

/** The domain, through the API: typed (or --url), stored, the account's only one, a question, or a new one. */
async function domainFromAccount(
  ctx: StepContext,
  typed: string | undefined,
  answers: Answers,
): Promise<{ url: string; findings: Finding[] }> {
  const key = ngrokKeyFor(ctx, ctx.store.values.ngrokApiKey)!;
  const api = new NgrokApi({
    apiKey: key.key,
    baseUrl: ngrokApiUrlFor(ctx.env),
    signal: ctx.signal,
    secrets: [ctx.store.values.clientSecret],
  });
  await api.checkKey();
  const findings: Finding[] = [finding.ok(`ngrok accepts the API key (${describeNgrokKeySource(key)})`)];
  const resolved = await resolveDomain(api, ctx.store, {
    typed: typed && new URL(typed).hostname,
    answers,
    noInput: ctx.options.noInput,
  });
  // Kept at once, as endpoint mode does: a rerun after a crash lands on the same domain.
  ctx.store.setValues({ domain: resolved.domain });
  return { url: `https://${resolved.domain}`, findings: [...findings, ...resolved.findings] };
}

/** The agent mode's apply; a question (which domain?) comes out as the NeedsAnswer of core/ngrok. */
export async function applyAgent(
  ctx: StepContext,
  input: Input,
  run: Omit<Parameters<typeof setUpNgrok>[0], 'mode' | 'domain' | 'answers'>,
  answers: Answers,
): Promise<ApplyResult> {
  // Switched from endpoint mode after a plan refusal: the domain it had settled on.
  const switched = input.switchMode === 'agent';
  const keyed = agentHasKey(ctx);
  const text =
    switched && ctx.store.values.domain ? ctx.store.values.domain : ((keyed ? input.domain : input.endpointUrl) ?? '');
  const typed = text.trim() ? publicUrl(text) : undefined;
  if (typed && !typed.ok) return { status: 'failed', findings: [finding.error(typed.message)] };
  if (!typed && !keyed)
    return {
      status: 'failed',
      findings: [
        finding.error(
          'The public URL is empty.',
          'Give your ngrok domain (--url https://…), or an ngrok API key (NGROK_API_KEY) to find it on your account.',
        ),
      ],
    };
  const found =
    keyed && !switched
      ? await domainFromAccount(ctx, typed?.value, answers)
      : { url: typed!.value, findings: keyed ? [] : [agentDomainUnchecked(new URL(typed!.value).hostname)] };
  // With a key, the client secret goes into ngrok's vault as in endpoint mode (core/ngrok/vault.ts).
  const key = keyed ? ngrokKeyFor(ctx, ctx.store.values.ngrokApiKey) : undefined;
  const findings = await setUpNgrok({ ...run, mode: 'agent', key, domain: found.url, answers: {} });
  return {
    status: 'done',
    findings: [...(switched ? [finding.ok('Switched to agent mode.')] : []), ...found.findings, ...findings],
  };
}
