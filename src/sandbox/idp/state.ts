// The stand-in's data: tenants, applications, users, webhooks, API keys and its signing key, in
// memory, optionally persisted as one JSON file so that `sandbox` can be stopped and started again
// without the setup it holds being lost. Writes are synchronous and atomic (temp file + rename): the
// data is small and a torn file would make the next start fail.
import { generateKeyPairSync, pbkdf2Sync, randomUUID, scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clone, getString, isJsonObject, withDefaults, type JsonObject } from './json';
import { FUSIONAUTH_APP_ID, applicationDefaults, newSecret, newTenant } from './model';

/** An API key, as FusionAuth's API Keys screen configures one. */
export interface ApiKeyOptions {
  key: string;
  /** A tenant-scoped key: every call is in this tenant, and it sees nothing of the others. */
  tenantId?: string;
  /**
   * FusionAuth's `permissions.endpoints`: endpoint → allowed methods, e.g. `{"/api/tenant": ["GET"]}`.
   * Absent or empty: the key may call everything, as in FusionAuth.
   */
  permissions?: Record<string, string[]>;
  /** Answer 401 to this many first calls, as FusionAuth does while a fresh key is not yet in its caches. */
  unauthorizedForFirstCalls?: number;
}

export interface StoredUser {
  user: JsonObject;
  /** `salted-pbkdf2-hmac-sha256:24000:salt:hash` (FusionAuth's default scheme); `salt:hash` is scrypt (older data). */
  passwordHash: string;
}

interface StateData {
  version: 1;
  tenants: JsonObject[];
  applications: JsonObject[];
  users: StoredUser[];
  webhooks: JsonObject[];
  apiKeys: ApiKeyOptions[];
  /** Private RSA JWK the ID tokens are signed with; kept so tokens still verify after a restart. */
  signingKey: JsonObject;
  cookieKeys: string[];
}

export interface StateOptions {
  dataDir?: string;
  apiKey?: string;
  apiKeys?: ApiKeyOptions[];
  secondTenant?: boolean | { id?: string; name?: string; issuer?: string };
  demoEmail: string;
  demoPassword: string;
}

const FILE_NAME = 'fusionauth-sandbox.json';

/**
 * A new FusionAuth's default password scheme: salted-pbkdf2-hmac-sha256 with a factor (iteration
 * count) of 24,000 (a new tenant's passwordEncryptionConfiguration, the defaults in FusionAuth's
 * terraform provider, FusionAuth/terraform-provider-fusionauth fusionauth/resource_fusionauth_tenant.go),
 * computed as FusionAuth's reference gives it: PBKDF2-HMAC-SHA256 over the base64-decoded salt, a
 * 256-bit key, base64 (FusionAuth/fusionauth-site astro/src/content/docs/reference/password-hashes.mdx,
 * "Salted PBKDF2 HMAC SHA-256"). It is also ~8× cheaper than the scrypt this stand-in used before, a
 * cost every sandbox login paid.
 */
const SCHEME = 'salted-pbkdf2-hmac-sha256';
const FACTOR = 24_000;

const pbkdf2 = (password: string, salt: string, factor: number) =>
  pbkdf2Sync(password, Buffer.from(salt, 'base64'), factor, 32, 'sha256');

function hashPassword(password: string): string {
  const salt = randomBytes(32).toString('base64');
  return `${SCHEME}:${FACTOR}:${salt}:${pbkdf2(password, salt, FACTOR).toString('base64')}`;
}

function passwordMatches(password: string, stored: string): boolean {
  const parts = stored.split(':');
  if (parts.length === 4 && parts[0] === SCHEME) {
    const [, factor, salt, hash] = parts as [string, string, string, string];
    const expected = Buffer.from(hash, 'base64');
    const actual = pbkdf2(password, salt, Number(factor));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
  // Sandbox data written before the scheme above: `salt:hash`, scrypt.
  const [salt, hash] = parts;
  if (parts.length !== 2 || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, salt, expected.length);
  return timingSafeEqual(actual, expected);
}

function newSigningKey(): JsonObject {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...(jwk as JsonObject), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function demoUser(tenantId: string, email: string, password: string): StoredUser {
  const now = Date.now();
  return {
    user: {
      id: randomUUID(),
      tenantId,
      email,
      firstName: 'Demo',
      lastName: 'User',
      fullName: 'Demo User',
      active: true,
      verified: true,
      passwordChangeRequired: false,
      twoFactor: { methods: [], recoveryCodes: 0 },
      data: {},
      preferredLanguages: [],
      memberships: [],
      registrations: [],
      insertInstant: now,
      lastUpdateInstant: now,
      lastLoginInstant: now,
      passwordLastUpdateInstant: now,
      usernameStatus: 'ACTIVE',
    },
    passwordHash: hashPassword(password),
  };
}

function freshData(options: StateOptions): StateData {
  const tenants = [newTenant({ name: 'Default', issuer: 'acme.com' })];
  if (options.secondTenant) {
    const second = options.secondTenant === true ? {} : options.secondTenant;
    tenants.push(
      newTenant({ id: second.id, name: second.name ?? 'Second tenant', issuer: second.issuer ?? 'acme.com' }),
    );
  }
  const defaultTenantId = getString(tenants[0], 'id') ?? '';
  const now = Date.now();
  // Every FusionAuth instance has its own admin application, with a fixed id, in the default tenant:
  // a client that assumes a fresh instance has no applications (or takes the first) meets it here too.
  const adminApp = withDefaults(applicationDefaults(), {
    id: FUSIONAUTH_APP_ID,
    tenantId: defaultTenantId,
    name: 'FusionAuth',
    roles: [],
    oauthConfiguration: {
      clientId: FUSIONAUTH_APP_ID,
      clientSecret: newSecret(),
      authorizedRedirectURLs: ['/admin/login'],
      enabledGrants: ['authorization_code', 'refresh_token'],
      logoutURL: '/admin/single-logout',
    },
    insertInstant: now,
    lastUpdateInstant: now,
  });
  const users = tenants.map((tenant) =>
    demoUser(getString(tenant, 'id') ?? '', options.demoEmail, options.demoPassword),
  );
  const admin = users[0];
  if (admin) {
    admin.user['registrations'] = [
      {
        id: randomUUID(),
        applicationId: FUSIONAUTH_APP_ID,
        roles: ['admin'],
        verified: true,
        usernameStatus: 'ACTIVE',
        insertInstant: now,
        lastUpdateInstant: now,
        data: {},
        preferredLanguages: [],
        tokens: {},
      },
    ];
  }
  return {
    version: 1,
    tenants,
    applications: [adminApp],
    users,
    webhooks: [],
    apiKeys: [],
    signingKey: newSigningKey(),
    cookieKeys: [newSecret()],
  };
}

function parseData(text: string, file: string): StateData {
  const parsed: unknown = JSON.parse(text);
  if (!isJsonObject(parsed) || parsed['version'] !== 1 || !Array.isArray(parsed['tenants'])) {
    throw new Error(`${file} is not a sandbox IdP state file (version 1); move it away to start fresh.`);
  }
  return parsed as unknown as StateData;
}

export class IdpState {
  readonly #data: StateData;
  readonly #file: string | undefined;

  private constructor(data: StateData, file: string | undefined) {
    this.#data = data;
    this.#file = file;
  }

  static open(options: StateOptions): IdpState {
    const file = options.dataDir ? path.join(options.dataDir, FILE_NAME) : undefined;
    const data = file && existsSync(file) ? parseData(readFileSync(file, 'utf8'), file) : freshData(options);
    const state = new IdpState(data, file);
    // The first key is the main one (all permissions, all tenants): the one asked for, or one made
    // on the first start and kept from then on.
    if (options.apiKey) state.putApiKey({ key: options.apiKey });
    else if (data.apiKeys.length === 0) state.putApiKey({ key: newSecret() });
    for (const key of options.apiKeys ?? []) state.putApiKey(key);
    state.save();
    return state;
  }

  save(): void {
    if (!this.#file) return;
    mkdirSync(path.dirname(this.#file), { recursive: true, mode: 0o700 });
    const temp = `${this.#file}.${process.pid}.tmp`;
    // 0600: the file holds API keys, client secrets and the signing key.
    writeFileSync(temp, JSON.stringify(this.#data, null, 2), { mode: 0o600 });
    renameSync(temp, this.#file);
  }

  // --- API keys
  get apiKeys(): readonly ApiKeyOptions[] {
    return this.#data.apiKeys;
  }
  putApiKey(options: ApiKeyOptions): void {
    const keys = this.#data.apiKeys;
    const index = keys.findIndex((existing) => existing.key === options.key);
    if (index === -1) keys.push({ ...options });
    else keys[index] = { ...options };
  }

  // --- tenants
  tenants(): JsonObject[] {
    return this.#data.tenants;
  }
  tenant(id: string): JsonObject | undefined {
    return this.#data.tenants.find((tenant) => tenant['id'] === id);
  }
  get defaultTenantId(): string {
    return getString(this.#data.tenants[0], 'id') ?? '';
  }
  putTenant(tenant: JsonObject): void {
    upsertById(this.#data.tenants, tenant);
    this.save();
  }

  // --- applications
  applications(): JsonObject[] {
    return this.#data.applications;
  }
  application(id: string): JsonObject | undefined {
    return this.#data.applications.find((app) => app['id'] === id);
  }
  putApplication(app: JsonObject): void {
    upsertById(this.#data.applications, app);
    this.save();
  }
  deleteApplication(id: string): void {
    this.#data.applications = this.#data.applications.filter((app) => app['id'] !== id);
    // A hard delete takes the application's registrations with it, as in FusionAuth.
    for (const { user } of this.#data.users) {
      const registrations = user['registrations'];
      if (Array.isArray(registrations)) {
        user['registrations'] = registrations.filter((r) => !isJsonObject(r) || r['applicationId'] !== id);
      }
    }
    this.save();
  }

  // --- users
  user(id: string): JsonObject | undefined {
    return this.#data.users.find(({ user }) => user['id'] === id)?.user;
  }
  userByEmail(tenantId: string, email: string): JsonObject | undefined {
    const wanted = email.toLowerCase();
    return this.#data.users.find(
      ({ user }) => user['tenantId'] === tenantId && getString(user, 'email')?.toLowerCase() === wanted,
    )?.user;
  }
  /** The user of a tenant whose login id and password match, or undefined. */
  authenticate(tenantId: string, loginId: string, password: string): JsonObject | undefined {
    const wanted = loginId.toLowerCase();
    const stored = this.#data.users.find(
      ({ user }) => user['tenantId'] === tenantId && getString(user, 'email')?.toLowerCase() === wanted,
    );
    return stored && passwordMatches(password, stored.passwordHash) ? stored.user : undefined;
  }
  putUser(user: JsonObject): void {
    const stored = this.#data.users.find((entry) => entry.user['id'] === user['id']);
    if (!stored) throw new Error(`no user ${String(user['id'])}`);
    stored.user = clone(user);
    this.save();
  }

  // --- webhooks
  webhooks(): JsonObject[] {
    return this.#data.webhooks;
  }
  webhook(id: string): JsonObject | undefined {
    return this.#data.webhooks.find((webhook) => webhook['id'] === id);
  }
  putWebhook(webhook: JsonObject): void {
    upsertById(this.#data.webhooks, webhook);
    this.save();
  }
  deleteWebhook(id: string): void {
    this.#data.webhooks = this.#data.webhooks.filter((webhook) => webhook['id'] !== id);
    this.save();
  }

  // --- OIDC secrets
  get signingKey(): JsonObject {
    return this.#data.signingKey;
  }
  get cookieKeys(): string[] {
    return this.#data.cookieKeys;
  }
}

function upsertById(list: JsonObject[], item: JsonObject): void {
  const index = list.findIndex((existing) => existing['id'] === item['id']);
  if (index === -1) list.push(clone(item));
  else list[index] = clone(item);
}
