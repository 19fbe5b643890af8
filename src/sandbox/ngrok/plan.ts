// The account's ngrok plan, as far as the guide's three modes feel it. The sandbox's default is
// Pay-as-you-go, where everything the guide needs is available; `sandbox --plan free` (and the
// `plan` option of the in-process sandbox) answers the way ngrok answers a Free account, so that the
// wizard's handling of those refusals is tested against the codes ngrok documents.
//
// Sources (ngrok's docs; the repository ngrok/ngrok-docs holds the same pages as .mdx):
// - Cloud endpoints: "Cloud endpoints are available on the pay-as-you-go plan."
//   https://ngrok.com/docs/endpoints/cloud-endpoints/ ("Cloud Endpoints pricing";
//   ngrok-docs endpoints/cloud-endpoints/index.mdx)
// - Internal endpoints: "Internal endpoints are available on the Pay-as-you-go plan."
//   https://ngrok.com/docs/endpoints/internal-endpoints/ ("Internal endpoints pricing";
//   ngrok-docs endpoints/internal-endpoints.mdx)
// - Free: "1 auto-assigned dev domain (cannot be customized)"; custom names and reserved domains need
//   a paid plan. https://ngrok.com/docs/pricing-limits/ and https://ngrok.com/docs/pricing-limits/free-plan-limits/
import { errors } from './errors';
import type { EndpointUrl } from './endpoint-url';

export const NGROK_PLANS = ['pay-as-you-go', 'free'] as const;
export type NgrokPlan = (typeof NGROK_PLANS)[number];

/**
 * ngrok's own base domains: a name under one of them is a "custom subdomain", anything else a "custom
 * hostname". The "ngrok-managed base domains" table of https://ngrok.com/docs/domains/ (ngrok/ngrok-docs
 * domains/index.mdx): ngrok.app, ngrok.dev, ngrok.pizza, ngrok-free.app, ngrok-free.dev, ngrok.io
 * (ngrok-free.pizza is "coming soon" there, so not yet here).
 */
export const NGROK_SUFFIXES = [
  '.ngrok.app',
  '.ngrok.dev',
  '.ngrok.pizza',
  '.ngrok-free.app',
  '.ngrok-free.dev',
  '.ngrok.io',
];

export const isNgrokDomain = (host: string): boolean => NGROK_SUFFIXES.some((suffix) => host.endsWith(suffix));

/** The name ngrok shows for a plan in its messages ("This account is on the `PLAN` plan."). */
const PLAN_NAMES: Record<NgrokPlan, string> = { 'pay-as-you-go': 'Pay-as-you-go', free: 'Free' };

/** POST /endpoints: what a Free account is refused (an internal binding first: that is the more specific refusal). */
export function checkCloudEndpointPlan(plan: NgrokPlan, binding: 'public' | 'internal'): void {
  if (plan !== 'free') return;
  // https://ngrok.com/docs/errors/err_ngrok_9027 "Your account is not authorized to use internal bindings."
  if (binding === 'internal') throw errors.internalBindingsNotOnPlan();
  // https://ngrok.com/docs/errors/err_ngrok_18008 "This account does not have access to Cloud Endpoints. …"
  throw errors.cloudEndpointsNotOnPlan();
}

/** POST /reserved_domains: https://ngrok.com/docs/errors/err_ngrok_401 "Only accounts on paid plans can reserve domains." */
export function checkReservePlan(plan: NgrokPlan): void {
  if (plan === 'free') throw errors.reserveNotOnPlan();
}

/**
 * An agent endpoint on a Free account: its dev domain only, and no internal URL.
 * - https://ngrok.com/docs/errors/err_ngrok_9027 (internal bindings)
 * - https://ngrok.com/docs/errors/err_ngrok_313 "Only paid plans may create endpoints with custom subdomains."
 * - https://ngrok.com/docs/errors/err_ngrok_314 "Only paid plans may create endpoints with custom hostnames."
 */
export function checkAgentEndpointPlan(
  plan: NgrokPlan,
  u: EndpointUrl,
  account: { devDomain: string; userId: string },
): void {
  if (plan !== 'free') return;
  if (u.internal) throw errors.internalBindingsNotOnPlan();
  if (u.host === account.devDomain) return;
  const planName = PLAN_NAMES[plan];
  if (isNgrokDomain(u.host)) throw errors.customSubdomainNotOnPlan(u.host.split('.')[0]!, account.userId, planName);
  throw errors.customHostnameNotOnPlan(u.host, account.userId, planName);
}
