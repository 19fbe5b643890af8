// Where a value comes from when the user has not typed it: flags, then env, then the store, then the
// documented default. One place, so the screens, `status` and `--no-input` agree.
import { DEFAULT_SITE_DIR, DEFAULT_SITE_PORT } from './site';
import type { NgrokMode } from './store';
import type { RunContext as StepContext } from './context';

/** ngrok's OIDC callback, a constant on ngrok's side (no API returns it). */
export const NGROK_REDIRECT_URI = 'https://idp.ngrok.com/oauth2/callback';

export function redirectUriFor(ctx: StepContext): string {
  return ctx.env.NGROK_OIDC_REDIRECT_URI || ctx.store.values.redirectUri || NGROK_REDIRECT_URI;
}

export function fusionauthUrlFor(ctx: StepContext): string | undefined {
  return ctx.options.fusionauthUrl || ctx.env.FUSIONAUTH_URL || ctx.store.values.fusionauthUrl;
}

export function siteDirFor(ctx: StepContext): string {
  return ctx.options.siteDir || ctx.store.values.siteDir || DEFAULT_SITE_DIR;
}

export function sitePortFor(ctx: StepContext): number {
  return ctx.options.port ?? ctx.store.values.sitePort ?? DEFAULT_SITE_PORT;
}

export function ngrokModeFor(ctx: StepContext): NgrokMode {
  return ctx.options.ngrokMode ?? ctx.store.values.ngrokMode ?? 'endpoint';
}
