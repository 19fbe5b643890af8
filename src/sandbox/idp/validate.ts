// Request validation with FusionAuth's error shape: every problem at once, as field errors keyed by
// the property path (`application.name`), codes `[blank]…`, `[invalid]…`, `[duplicate]…`, and
// `[invalidJSON]` where FusionAuth's JSON binding would fail (a value outside an enum, a wrong type).
// Unknown properties are kept, not rejected: the stand-in cannot tell which ones FusionAuth ignores.
import { FieldErrorList } from './http';
import { getObject, getString, isJsonObject, type Json, type JsonObject } from './json';
import { CLIENT_AUTHENTICATION_POLICIES, EVENT_TYPES, GRANT_TYPES, PKCE_POLICIES, TRANSACTION_TYPES } from './model';

function isBlank(value: Json | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function checkString(errors: FieldErrorList, parent: JsonObject, key: string, path: string, required: boolean): void {
  const value = parent[key];
  if (isBlank(value)) {
    if (required) errors.add(path, 'blank', `You must specify the [${key}] property.`);
    return;
  }
  if (typeof value !== 'string') errors.invalidJson(path, `Expected a string, got ${JSON.stringify(value)}.`);
}

function checkBoolean(errors: FieldErrorList, parent: JsonObject, key: string, path: string): void {
  const value = parent[key];
  if (value !== undefined && value !== null && typeof value !== 'boolean') {
    errors.invalidJson(path, `Expected true or false, got ${JSON.stringify(value)}.`);
  }
}

function checkEnum(
  errors: FieldErrorList,
  parent: JsonObject,
  key: string,
  path: string,
  values: readonly string[],
): void {
  const value = parent[key];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !values.includes(value)) {
    errors.invalidJson(path, `The value ${JSON.stringify(value)} is not one of [${values.join(', ')}].`);
  }
}

/**
 * A URL FusionAuth accepts: absolute with any scheme (native apps use custom ones), or a path (its
 * own admin application has `/admin/login`); `*` only where wildcards are on.
 */
function isUrl(value: string, wildcards: boolean): boolean {
  const candidate = wildcards ? value.replaceAll('*', 'wildcard') : value;
  if (/\s/.test(value) || candidate === '') return false;
  return candidate.startsWith('/')
    ? !candidate.startsWith('//') && URL.canParse(candidate, 'http://localhost')
    : URL.canParse(candidate);
}

function checkUrlList(errors: FieldErrorList, parent: JsonObject, key: string, path: string, wildcards: boolean): void {
  const value = parent[key];
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    errors.invalidJson(path, 'Expected an array of URLs.');
    return;
  }
  for (const item of value) {
    if (typeof item !== 'string') errors.invalidJson(path, `Expected a string, got ${JSON.stringify(item)}.`);
    else if (!isUrl(item, wildcards)) errors.add(path, 'invalid', `The value [${item}] is not a valid URL.`);
  }
}

export interface ApplicationContext {
  /** Other applications of the same tenant, for the name's uniqueness. */
  siblings: JsonObject[];
  selfId: string;
}

/** `application` is the full object as it would be stored (defaults, existing fields, the request). */
export function validateApplication(application: JsonObject, context: ApplicationContext): void {
  const errors = new FieldErrorList();
  checkString(errors, application, 'name', 'application.name', true);
  const name = getString(application, 'name');
  if (name && context.siblings.some((other) => other['id'] !== context.selfId && other['name'] === name)) {
    errors.add('application.name', 'duplicate', `An Application with name [${name}] already exists.`);
  }
  const oauth = application['oauthConfiguration'];
  if (oauth !== undefined && oauth !== null && !isJsonObject(oauth)) {
    errors.invalidJson('application.oauthConfiguration', 'Expected an object.');
  } else if (isJsonObject(oauth)) {
    const at = (key: string): string => `application.oauthConfiguration.${key}`;
    const grants = oauth['enabledGrants'];
    if (grants !== undefined && grants !== null) {
      if (!Array.isArray(grants)) errors.invalidJson(at('enabledGrants'), 'Expected an array of grant types.');
      else {
        for (const grant of grants) {
          if (typeof grant !== 'string' || !(GRANT_TYPES as readonly string[]).includes(grant)) {
            errors.invalidJson(
              at('enabledGrants'),
              `The value ${JSON.stringify(grant)} is not one of [${GRANT_TYPES.join(', ')}].`,
            );
          }
        }
      }
    }
    checkEnum(errors, oauth, 'authorizedURLValidationPolicy', at('authorizedURLValidationPolicy'), [
      'AllowWildcards',
      'ExactMatch',
    ]);
    const wildcards = oauth['authorizedURLValidationPolicy'] === 'AllowWildcards';
    checkUrlList(errors, oauth, 'authorizedRedirectURLs', at('authorizedRedirectURLs'), wildcards);
    checkUrlList(errors, oauth, 'authorizedOriginURLs', at('authorizedOriginURLs'), wildcards);
    const logoutURL = oauth['logoutURL'];
    if (!isBlank(logoutURL)) {
      if (typeof logoutURL !== 'string') errors.invalidJson(at('logoutURL'), 'Expected a string.');
      else if (!isUrl(logoutURL, false))
        errors.add(at('logoutURL'), 'invalid', `The value [${logoutURL}] is not a valid URL.`);
    }
    checkEnum(
      errors,
      oauth,
      'clientAuthenticationPolicy',
      at('clientAuthenticationPolicy'),
      CLIENT_AUTHENTICATION_POLICIES,
    );
    checkEnum(errors, oauth, 'proofKeyForCodeExchangePolicy', at('proofKeyForCodeExchangePolicy'), PKCE_POLICIES);
    checkBoolean(errors, oauth, 'requireRegistration', at('requireRegistration'));
    checkBoolean(errors, oauth, 'requireClientAuthentication', at('requireClientAuthentication'));
    checkBoolean(errors, oauth, 'generateRefreshTokens', at('generateRefreshTokens'));
  }
  checkBoolean(errors, application, 'active', 'application.active');
  errors.throwIfAny();
}

export function validateTenant(tenant: JsonObject): void {
  const errors = new FieldErrorList();
  checkString(errors, tenant, 'name', 'tenant.name', true);
  checkString(errors, tenant, 'issuer', 'tenant.issuer', true);
  const eventConfiguration = tenant['eventConfiguration'];
  const events = isJsonObject(eventConfiguration) ? eventConfiguration['events'] : undefined;
  if (events !== undefined && events !== null) {
    if (!isJsonObject(events)) errors.invalidJson('tenant.eventConfiguration.events', 'Expected an object.');
    else {
      for (const [type, config] of Object.entries(events)) {
        const path = `tenant.eventConfiguration.events`;
        if (!(EVENT_TYPES as readonly string[]).includes(type)) {
          errors.invalidJson(path, `The key [${type}] is not an event type.`);
        } else if (!isJsonObject(config)) {
          errors.invalidJson(
            path,
            `The value of [${type}] must be an object like {"enabled": true, "transactionType": "None"}.`,
          );
        } else {
          checkBoolean(errors, config, 'enabled', `${path}[${type}].enabled`);
          checkEnum(errors, config, 'transactionType', `${path}[${type}].transactionType`, TRANSACTION_TYPES);
        }
      }
    }
  }
  errors.throwIfAny();
}

function checkTimeout(errors: FieldErrorList, webhook: JsonObject, key: string): void {
  const value = webhook[key];
  const path = `webhook.${key}`;
  if (value === undefined || value === null) errors.add(path, 'blank', `You must specify the [${key}] property.`);
  else if (typeof value !== 'number' || !Number.isInteger(value)) errors.invalidJson(path, 'Expected an integer.');
  else if (value <= 0) errors.add(path, 'invalid', `The [${key}] property must be greater than 0.`);
}

export function validateWebhook(webhook: JsonObject, tenantExists: (id: string) => boolean): void {
  const errors = new FieldErrorList();
  checkString(errors, webhook, 'url', 'webhook.url', true);
  const url = getString(webhook, 'url');
  if (url && !/^https?:\/\//i.test(url))
    errors.add('webhook.url', 'invalid', `The value [${url}] is not a valid http or https URL.`);
  else if (url && !URL.canParse(url)) errors.add('webhook.url', 'invalid', `The value [${url}] is not a valid URL.`);
  // FusionAuth's Webhook API lists both timeouts as required.
  checkTimeout(errors, webhook, 'connectTimeout');
  checkTimeout(errors, webhook, 'readTimeout');
  checkBoolean(errors, webhook, 'global', 'webhook.global');
  const events = webhook['eventsEnabled'];
  if (events !== undefined && events !== null) {
    if (!isJsonObject(events))
      errors.invalidJson('webhook.eventsEnabled', 'Expected an object of event type → boolean.');
    else {
      for (const [type, enabled] of Object.entries(events)) {
        if (!(EVENT_TYPES as readonly string[]).includes(type))
          errors.invalidJson('webhook.eventsEnabled', `The key [${type}] is not an event type.`);
        else if (typeof enabled !== 'boolean')
          errors.invalidJson(`webhook.eventsEnabled[${type}]`, 'Expected true or false.');
      }
    }
  }
  const tenantIds = webhook['tenantIds'];
  if (tenantIds !== undefined && tenantIds !== null) {
    if (!Array.isArray(tenantIds)) errors.invalidJson('webhook.tenantIds', 'Expected an array of tenant Ids.');
    else {
      for (const id of tenantIds) {
        if (typeof id !== 'string' || !tenantExists(id)) {
          errors.add('webhook.tenantIds', 'invalid', `The value [${String(id)}] is not the Id of a tenant.`);
        }
      }
    }
  }
  const headers = getObject(webhook, 'headers');
  if (headers && Object.values(headers).some((value) => typeof value !== 'string')) {
    errors.invalidJson('webhook.headers', 'Header values must be strings.');
  }
  errors.throwIfAny();
}
