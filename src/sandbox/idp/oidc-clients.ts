// A FusionAuth application as an oidc-provider client. Read on every request (oidc-provider caches
// clients by their metadata, so an edited application takes effect at once).
import type { ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';
import type { JsonObject } from './json';
import { viewApplication, type ClientAuthenticationPolicy } from './model';

function isWebUrl(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && !value.includes('#');
}

/**
 * oidc-provider registers one authentication method per client; FusionAuth decides per request from
 * the application's policy. So the method is chosen from the request being served: a request that
 * presents a secret is checked against it (oidc-provider accepts basic and post alike for a
 * `client_secret_basic` client); one that presents none is a public client only where the policy
 * allows it, otherwise it fails as "client authentication missing".
 */
function authMethod(
  policy: ClientAuthenticationPolicy,
  ctx: KoaContextWithOIDC | undefined,
): 'client_secret_basic' | 'none' {
  if (policy === 'Required' || !ctx) return 'client_secret_basic';
  const params = ctx.oidc?.params ?? {};
  if (ctx.headers.authorization !== undefined || params['client_secret'] !== undefined) return 'client_secret_basic';
  if (policy === 'NotRequired') return 'none';
  return params['code_verifier'] !== undefined ? 'none' : 'client_secret_basic';
}

export function clientMetadataFor(app: JsonObject, ctx: KoaContextWithOIDC | undefined): ClientMetadata | undefined {
  const view = viewApplication(app);
  if (!view.active) return undefined; // a soft-deleted application cannot log anyone in
  const { oauth } = view;
  const grants = new Set(oauth.enabledGrants);
  const redirectUris = [...new Set(oauth.authorizedRedirectURLs.filter(isWebUrl))];
  // Without the code grant (or without any redirect URL) the client may not use the authorize
  // endpoint at all; its redirect URLs are still registered so that the error can go back to them.
  const codeFlow = grants.has('authorization_code') && redirectUris.length > 0;
  const method = authMethod(oauth.clientAuthenticationPolicy, ctx);
  const postLogout = [
    ...new Set([oauth.logoutURL, ...redirectUris].filter((u): u is string => u !== undefined && isWebUrl(u))),
  ];
  return {
    client_id: view.id,
    ...(method === 'none' ? {} : { client_secret: oauth.clientSecret }),
    client_name: view.name,
    application_type: 'web',
    redirect_uris: redirectUris,
    response_types: codeFlow ? ['code'] : [],
    grant_types: [
      ...(codeFlow ? ['authorization_code'] : []),
      ...(grants.has('refresh_token') ? ['refresh_token'] : []),
    ],
    token_endpoint_auth_method: method,
    post_logout_redirect_uris: postLogout,
    id_token_signed_response_alg: 'RS256',
  };
}
