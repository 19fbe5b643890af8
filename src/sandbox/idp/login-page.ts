// The hosted login page oidc-provider sends the browser to: an HTML form with FusionAuth's field
// names (`loginId`, `password`) that a scripted HTTP client can fill in, posting back to itself.
// After a good login it enforces the application's "require registration", fires user.login.success,
// and hands the login back to oidc-provider, which redirects to redirect_uri with the code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, readBody, sendHtml } from './http';
import { getString, isJsonObject, type JsonObject } from './json';
import { viewApplication } from './model';
import { INTERACTION_PATH, type OidcProviders } from './oidc';
import { errorPage } from './oidc-errors';
import type { OidcStore } from './oidc-store';
import type { IdpState } from './state';
import type { WebhookSender } from './webhooks';

/** FusionAuth's default "Default" connector, named in its login events. */
const DEFAULT_CONNECTOR_ID = 'e3306678-a53a-4964-9040-1c96f36dda72';

export interface LoginPageDeps {
  state: IdpState;
  store: OidcStore;
  providers: OidcProviders;
  webhooks: WebhookSender;
  demoHint: { email: string; password: string };
}

function loginForm(uid: string, appName: string, deps: LoginPageDeps, loginId = '', error?: string): string {
  const action = `${INTERACTION_PATH}${encodeURIComponent(uid)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Login | FusionAuth</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem;box-sizing:border-box}button{padding:.5rem 1rem}.error{color:#b00020}.hint{color:#555;font-size:.9rem}</style>
</head>
<body>
<main>
<h1>Login</h1>
<p>to ${escapeHtml(appName)}</p>
${error ? `<p class="error" id="login-error">${escapeHtml(error)}</p>` : ''}
<form id="login-form" method="post" action="${escapeHtml(action)}">
<label>Email <input type="text" name="loginId" value="${escapeHtml(loginId)}" autocomplete="username" autofocus required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Submit</button>
</form>
<p class="hint">Sandbox IdP: log in as <code>${escapeHtml(deps.demoHint.email)}</code> / <code>${escapeHtml(deps.demoHint.password)}</code>.</p>
</main>
</body>
</html>
`;
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '127.0.0.1';
}

function loginEvent(req: IncomingMessage, app: JsonObject, user: JsonObject): JsonObject {
  const ipAddress = clientIp(req);
  return {
    applicationId: getString(app, 'id') ?? '',
    authenticationType: 'PASSWORD',
    connectorId: DEFAULT_CONNECTOR_ID,
    ipAddress,
    info: { ipAddress, userAgent: req.headers['user-agent'] ?? '' },
    user,
  };
}

function isRegistered(user: JsonObject, applicationId: string): boolean {
  const registrations = user['registrations'];
  return (
    Array.isArray(registrations) && registrations.some((r) => isJsonObject(r) && r['applicationId'] === applicationId)
  );
}

export function createLoginPage(deps: LoginPageDeps) {
  const expired = (res: ServerResponse): void =>
    sendHtml(
      res,
      400,
      errorPage({
        error: 'invalid_request',
        error_reason: 'unknown',
        error_description: 'This login request has expired or its cookie is missing. Start again from the application.',
      }),
    );

  return async function handle(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const params = deps.store.get('Interaction', uid)?.params;
    const clientId = typeof params?.['client_id'] === 'string' ? params['client_id'] : undefined;
    const app = clientId ? deps.state.application(clientId) : undefined;
    const tenantId = getString(app, 'tenantId');
    const built = tenantId ? deps.providers.forTenant(tenantId) : undefined;
    if (!app || !tenantId || !built) return expired(res);
    let details;
    try {
      details = await built.provider.interactionDetails(req, res);
    } catch {
      return expired(res);
    }
    if (details.uid !== uid) return expired(res);
    const view = viewApplication(app);

    if (details.prompt.name !== 'login') {
      // Only consent can be left, and first-party FusionAuth applications never ask for it.
      const grant = new built.provider.Grant({ clientId: view.id, accountId: details.session?.accountId ?? '' });
      grant.addOIDCScope(typeof details.params['scope'] === 'string' ? details.params['scope'] : 'openid');
      await built.provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    if (req.method !== 'POST') return sendHtml(res, 200, loginForm(uid, view.name, deps));

    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
    const loginId = form.get('loginId') ?? '';
    const user = deps.state.authenticate(tenantId, loginId, form.get('password') ?? '');
    if (!user) {
      const known = deps.state.userByEmail(tenantId, loginId);
      if (known) deps.webhooks.fire(tenantId, 'user.login.failed', loginEvent(req, app, known));
      return sendHtml(res, 200, loginForm(uid, view.name, deps, loginId, 'Invalid login credentials.'));
    }
    if (view.oauth.requireRegistration && !isRegistered(user, view.id)) {
      // FusionAuth stops here with its "not registered" page; the client never gets a code.
      return sendHtml(
        res,
        403,
        errorPage({
          error: 'access_denied',
          error_reason: 'registration_required',
          error_description: `You are not registered for the application [${view.name}]. The user must be registered for this application to log in.`,
        }),
      );
    }
    const loggedIn = { ...user, lastLoginInstant: Date.now() };
    deps.state.putUser(loggedIn);
    deps.webhooks.fire(tenantId, 'user.login.success', loginEvent(req, app, loggedIn));
    await built.provider.interactionFinished(
      req,
      res,
      { login: { accountId: getString(user, 'id') ?? '' } },
      { mergeWithLastSubmission: false },
    );
  };
}
