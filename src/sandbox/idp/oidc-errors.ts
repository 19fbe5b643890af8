// FusionAuth's OAuth error answers, from oidc-provider's errors. FusionAuth adds `error_reason` (its
// OAuthErrorReason) to every OAuth error, shows authorize errors that cannot be sent back to the
// client as a 400 HTML page carrying the JSON, and words some errors its own way; this maps one onto
// the other so a client sees what it would see from FusionAuth.
import { escapeText } from './http';

export interface FaOAuthError {
  error: string;
  error_reason: string;
  error_description: string;
}

/** The fields of an oidc-provider error this reads (its errors are plain Error subclasses). */
interface ProviderError extends Error {
  error?: string;
  error_description?: string;
  error_detail?: string;
  statusCode?: number;
}

export interface ErrorContext {
  route: string | undefined;
  params: Record<string, unknown>;
  /** The client's application has the authorization_code grant enabled (undefined: no such client). */
  codeGrantEnabled: boolean | undefined;
}

function param(context: ErrorContext, name: string): string {
  const value = context.params[name];
  return typeof value === 'string' ? value : '';
}

function missing(name: string): FaOAuthError {
  return {
    error: 'invalid_request',
    error_reason: `missing_${name}`,
    error_description: `The request is missing a required parameter: ${name}`,
  };
}

export function toFusionAuthError(raw: Error, context: ErrorContext): FaOAuthError {
  const err = raw as ProviderError;
  const error = err.error ?? 'server_error';
  const description = err.error_description ?? 'An unexpected error occurred.';
  const detail = `${err.error_detail ?? ''} ${description}`;
  const missingParam = /missing required parameters? '?([a-z_]+)/.exec(description)?.[1];

  if (err.name === 'InvalidRedirectUri') {
    return {
      error: 'invalid_request',
      error_reason: 'invalid_redirect_uri',
      error_description: `Invalid redirect uri ${param(context, 'redirect_uri')}`,
    };
  }
  if (
    missingParam === 'client_id' ||
    missingParam === 'redirect_uri' ||
    missingParam === 'response_type' ||
    missingParam === 'grant_type' ||
    missingParam === 'code'
  ) {
    return missing(missingParam);
  }
  if (
    (err.name === 'InvalidClient' || err.name === 'InvalidClientAuth') &&
    /client not found|client is invalid/.test(detail)
  ) {
    return {
      error: context.route === 'token' ? 'invalid_client' : 'invalid_request',
      error_reason: 'invalid_client_id',
      error_description: `Invalid client_id [${param(context, 'client_id')}]`,
    };
  }
  if (err.name === 'InvalidClientAuth') {
    if (/mechanism does not match/.test(detail)) {
      return {
        error: 'invalid_client',
        error_reason: 'client_authentication_missing',
        error_description:
          'Client authentication is required for this application. Provide the client_secret in an HTTP Basic Authorization header or in the request body.',
      };
    }
    return {
      error: 'invalid_client',
      error_reason: 'invalid_client_authentication',
      error_description: 'The client could not be authenticated: invalid client_id or client_secret.',
    };
  }
  if (
    context.codeGrantEnabled === false &&
    (context.route === 'authorization' || context.route === 'resume' || /grant type|response_type/.test(detail))
  ) {
    return {
      error: 'unauthorized_client',
      error_reason: 'grant_type_disabled',
      error_description: 'The authorization_code grant is not enabled for this application.',
    };
  }
  if (err.name === 'UnsupportedResponseType') {
    return {
      error: 'unsupported_response_type',
      error_reason: 'invalid_response_type',
      error_description: description,
    };
  }
  if (err.name === 'UnsupportedGrantType') {
    return { error: 'unsupported_grant_type', error_reason: 'invalid_grant_type', error_description: description };
  }
  if (err.name === 'InvalidScope') {
    return { error: 'invalid_scope', error_reason: 'unknown_scope', error_description: description };
  }
  if (err.name === 'InvalidGrant') {
    if (/PKCE|code_verifier|code_challenge/i.test(detail)) {
      return {
        error: 'invalid_grant',
        error_reason: 'invalid_pkce_code_verifier',
        error_description: 'The code_verifier is invalid.',
      };
    }
    if (/redirect_uri/.test(detail)) {
      return {
        error: 'invalid_grant',
        error_reason: 'invalid_redirect_uri',
        error_description: 'The redirect_uri does not match the one of the authorization request.',
      };
    }
    if (param(context, 'grant_type') === 'refresh_token') {
      return {
        error: 'invalid_grant',
        error_reason: 'refresh_token_not_found',
        error_description: 'The refresh_token is invalid.',
      };
    }
    return {
      error: 'invalid_grant',
      error_reason: 'auth_code_not_found',
      error_description: 'The authorization code is invalid or expired.',
    };
  }
  if (err.name === 'InvalidToken') {
    return { error: 'invalid_token', error_reason: 'access_token_invalid', error_description: description };
  }
  if (error === 'server_error' || (err.statusCode ?? 500) >= 500) {
    return { error: 'server_error', error_reason: 'unknown', error_description: 'An unexpected error occurred.' };
  }
  return { error, error_reason: 'unknown', error_description: description };
}

/** FusionAuth's OAuth error page: a 400 whose body carries the error as JSON. */
export function errorPage(error: FaOAuthError): string {
  // Key order as FusionAuth's own docs quote it; the JSON stays machine-readable inside <pre>.
  const json = JSON.stringify({
    error: error.error,
    error_reason: error.error_reason,
    error_description: error.error_description,
  });
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Error | FusionAuth</title></head>
<body>
<main>
<h1>Error</h1>
<p>We're sorry, your request was malformed or was unable to be completed for some reason. Try hitting the back button and restarting the process to see if it fixes the problem.</p>
<p>If you want the nerdy explanation, review the following JSON body.</p>
<pre id="error-json">${escapeText(json)}</pre>
<p>Powered by FusionAuth (sandbox stand-in)</p>
</main>
</body>
</html>
`;
}
