// Where a value comes from when the user has not typed it: flags, then env, then the store, then the
// documented default. One place, so the screens, `status` and `--no-input` agree.
import { UsageError } from './errors';
import { DEFAULT_SITE_DIR, DEFAULT_SITE_PORT } from './site';
import type { NgrokMode } from './store';
import type { RunContext as StepContext } from './context';
import { redirectUri, type Validation } from './validate';

/** ngrok's OIDC callback, a constant on ngrok's side (no API returns it). */
export const NGROK_REDIRECT_URI = 'https://idp.ngrok.com/oauth2/callback';

/**
 * The redirect URI: NGROK_OIDC_REDIRECT_URI, checked like typed input (it goes into FusionAuth's
 * authorized redirect URLs), else the stored one (checked on load), else ngrok's constant. A refused
 * environment value is one sentence that names the variable and says why.
 */
export function redirectUriChoice(ctx: Pick<StepContext, 'env' | 'store'>): Validation<string> {
  const fromEnv = ctx.env.NGROK_OIDC_REDIRECT_URI;
  if (!fromEnv) return { ok: true, value: ctx.store.values.redirectUri || NGROK_REDIRECT_URI };
  const checked = redirectUri(fromEnv);
  return checked.ok ? checked : { ok: false, message: `NGROK_OIDC_REDIRECT_URI is refused: ${checked.message}` };
}

export const REDIRECT_URI_FIX = `Unset NGROK_OIDC_REDIRECT_URI to use ngrok's callback, ${NGROK_REDIRECT_URI}.`;

/** The redirect URI, or a UsageError (exit 2) when NGROK_OIDC_REDIRECT_URI is refused. */
export function redirectUriFor(ctx: Pick<StepContext, 'env' | 'store'>): string {
  const choice = redirectUriChoice(ctx);
  if (!choice.ok) throw new UsageError(choice.message, REDIRECT_URI_FIX);
  return choice.value;
}

export function fusionauthUrlFor(ctx: StepContext): string | undefined {
  return ctx.options.fusionauthUrl || ctx.env.FUSIONAUTH_URL || ctx.store.values.fusionauthUrl;
}

export function siteDirFor(ctx: StepContext): string {
  return ctx.options.siteDir || ctx.store.values.siteDir || DEFAULT_SITE_DIR;
}

export function sitePortFor(ctx: StepContext): number {
  return ctx.options.port ?? ctx.store.values.sitePort ?? ctx.defaultSitePort ?? DEFAULT_SITE_PORT;
}

export function ngrokModeFor(ctx: StepContext): NgrokMode {
  return ctx.options.ngrokMode ?? ctx.store.values.ngrokMode ?? 'endpoint';
}
