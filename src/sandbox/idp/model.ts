// What a fresh FusionAuth 1.69 instance holds, and typed views of the fields the stand-in acts on.
// Enum values are FusionAuth's JSON spellings (from @fusionauth/typescript-client 1.69, which the
// OpenAPI spec's Java names, https://github.com/FusionAuth/fusionauth-openapi, do not always match,
// e.g. the device grant).
import { randomBytes, randomUUID } from 'node:crypto';
import { getBoolean, getObject, getString, getStrings, type JsonObject } from './json';

export const FUSIONAUTH_VERSION = '1.69.0';

/** The id FusionAuth gives its own admin application on every instance. */
export const FUSIONAUTH_APP_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

export const GRANT_TYPES = [
  'authorization_code',
  'implicit',
  'password',
  'client_credentials',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
] as const;

export const CLIENT_AUTHENTICATION_POLICIES = ['Required', 'NotRequired', 'NotRequiredWhenUsingPKCE'] as const;
export type ClientAuthenticationPolicy = (typeof CLIENT_AUTHENTICATION_POLICIES)[number];

export const PKCE_POLICIES = ['Required', 'NotRequired', 'NotRequiredWhenUsingClientAuthentication'] as const;
export type PkcePolicy = (typeof PKCE_POLICIES)[number];

export const TRANSACTION_TYPES = ['None', 'Any', 'SimpleMajority', 'SuperMajority', 'AbsoluteMajority'] as const;

export const EVENT_TYPES = [
  'jwt.public-key.update',
  'jwt.refresh-token.revoke',
  'jwt.refresh',
  'audit-log.create',
  'event-log.create',
  'kickstart.success',
  'group.create',
  'group.create.complete',
  'group.delete',
  'group.delete.complete',
  'group.member.add',
  'group.member.add.complete',
  'group.member.remove',
  'group.member.remove.complete',
  'group.member.update',
  'group.member.update.complete',
  'group.update',
  'group.update.complete',
  'user.action',
  'user.bulk.create',
  'user.create',
  'user.create.complete',
  'user.deactivate',
  'user.delete',
  'user.delete.complete',
  'user.email.update',
  'user.email.verified',
  'user.identity-provider.link',
  'user.identity-provider.unlink',
  'user.loginId.duplicate.create',
  'user.loginId.duplicate.update',
  'user.login.failed',
  'user.login.new-device',
  'user.login.success',
  'user.login.suspicious',
  'user.two-factor.challenge',
  'user.password.breach',
  'user.password.reset.send',
  'user.password.reset.start',
  'user.password.reset.success',
  'user.password.update',
  'user.reactivate',
  'user.registration.create',
  'user.registration.create.complete',
  'user.registration.delete',
  'user.registration.delete.complete',
  'user.registration.update',
  'user.registration.update.complete',
  'user.registration.verified',
  'user.two-factor.method.add',
  'user.two-factor.method.remove',
  'user.update',
  'user.update.complete',
  'test',
  'user.identity.verified',
  'user.identity.update',
  'user.two-factor.failed-attempt',
  'user.two-factor.success',
  'entity.create',
  'entity.create.complete',
  'entity.delete',
  'entity.delete.complete',
  'entity.update',
  'entity.update.complete',
] as const;

/** FusionAuth's client secrets: 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newTenant(options: { id?: string; name: string; issuer: string }): JsonObject {
  const now = Date.now();
  const keyId = randomUUID();
  return {
    id: options.id ?? randomUUID(),
    name: options.name,
    issuer: options.issuer,
    state: 'Active',
    configured: false,
    data: {},
    eventConfiguration: {
      events: Object.fromEntries(EVENT_TYPES.map((type) => [type, { enabled: false, transactionType: 'None' }])),
    },
    httpSessionMaxInactiveInterval: 3600,
    jwtConfiguration: {
      enabled: true,
      accessTokenKeyId: keyId,
      idTokenKeyId: keyId,
      timeToLiveInSeconds: 3600,
      refreshTokenTimeToLiveInMinutes: 43200,
      refreshTokenExpirationPolicy: 'Fixed',
      refreshTokenUsagePolicy: 'Reusable',
      refreshTokenRevocationPolicy: { onLoginPrevented: true, onPasswordChanged: true },
    },
    loginConfiguration: { requireAuthentication: true },
    oauthConfiguration: {},
    insertInstant: now,
    lastUpdateInstant: now,
  };
}

/** The fields FusionAuth fills in on an application the request left out. */
export function applicationDefaults(): JsonObject {
  return {
    active: true,
    state: 'Active',
    data: {},
    roles: [],
    scopes: [],
    verifyRegistration: false,
    jwtConfiguration: { enabled: false, refreshTokenTimeToLiveInMinutes: 0, timeToLiveInSeconds: 0 },
    loginConfiguration: { allowTokenRefresh: false, generateRefreshTokens: false, requireAuthentication: true },
    registrationConfiguration: { enabled: false, type: 'basic' },
    oauthConfiguration: {
      authorizedOriginURLs: [],
      authorizedRedirectURLs: [],
      authorizedURLValidationPolicy: 'ExactMatch',
      clientAuthenticationPolicy: 'Required',
      consentMode: 'AlwaysPrompt',
      debug: false,
      enabledGrants: [],
      generateRefreshTokens: true,
      logoutBehavior: 'AllApplications',
      proofKeyForCodeExchangePolicy: 'NotRequired',
      relationship: 'FirstParty',
      requireClientAuthentication: true,
      requireRegistration: false,
      scopeHandlingPolicy: 'Strict',
      unknownScopePolicy: 'Reject',
    },
  };
}

export interface OAuthView {
  clientId: string;
  clientSecret: string;
  enabledGrants: string[];
  authorizedRedirectURLs: string[];
  authorizedOriginURLs: string[];
  clientAuthenticationPolicy: ClientAuthenticationPolicy;
  proofKeyForCodeExchangePolicy: PkcePolicy;
  requireRegistration: boolean;
  logoutURL: string | undefined;
}

export interface ApplicationView {
  id: string;
  tenantId: string;
  name: string;
  active: boolean;
  oauth: OAuthView;
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined, fallback: T): T {
  return values.find((candidate) => candidate === value) ?? fallback;
}

export function viewApplication(app: JsonObject): ApplicationView {
  const oauth = getObject(app, 'oauthConfiguration') ?? {};
  const id = getString(app, 'id') ?? '';
  return {
    id,
    tenantId: getString(app, 'tenantId') ?? '',
    name: getString(app, 'name') ?? '',
    active: getBoolean(app, 'active') ?? true,
    oauth: {
      clientId: getString(oauth, 'clientId') ?? id,
      clientSecret: getString(oauth, 'clientSecret') ?? '',
      enabledGrants: getStrings(oauth, 'enabledGrants'),
      authorizedRedirectURLs: getStrings(oauth, 'authorizedRedirectURLs'),
      authorizedOriginURLs: getStrings(oauth, 'authorizedOriginURLs'),
      clientAuthenticationPolicy: oneOf(
        CLIENT_AUTHENTICATION_POLICIES,
        getString(oauth, 'clientAuthenticationPolicy'),
        'Required',
      ),
      proofKeyForCodeExchangePolicy: oneOf(
        PKCE_POLICIES,
        getString(oauth, 'proofKeyForCodeExchangePolicy'),
        'NotRequired',
      ),
      requireRegistration: getBoolean(oauth, 'requireRegistration') ?? false,
      logoutURL: getString(oauth, 'logoutURL'),
    },
  };
}

export interface WebhookView {
  id: string;
  url: string;
  global: boolean;
  tenantIds: string[];
  eventsEnabled: Record<string, boolean>;
  headers: Record<string, string>;
  username: string | undefined;
  password: string | undefined;
}

export function viewWebhook(webhook: JsonObject): WebhookView {
  const events = getObject(webhook, 'eventsEnabled') ?? {};
  const headers = getObject(webhook, 'headers') ?? {};
  return {
    id: getString(webhook, 'id') ?? '',
    url: getString(webhook, 'url') ?? '',
    global: getBoolean(webhook, 'global') ?? false,
    tenantIds: getStrings(webhook, 'tenantIds'),
    eventsEnabled: Object.fromEntries(Object.entries(events).map(([type, on]) => [type, on === true])),
    headers: Object.fromEntries(
      Object.entries(headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
    ),
    username: getString(webhook, 'httpAuthenticationUsername'),
    password: getString(webhook, 'httpAuthenticationPassword'),
  };
}

/** Whether a tenant has an event switched on (Tenants → Webhooks in the admin UI). */
export function tenantEventEnabled(tenant: JsonObject, type: string): boolean {
  const events = getObject(getObject(tenant, 'eventConfiguration') ?? {}, 'events') ?? {};
  const event = events[type];
  return typeof event === 'object' && event !== null && !Array.isArray(event) && event['enabled'] === true;
}
