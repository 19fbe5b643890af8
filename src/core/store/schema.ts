// The shape of the settings file: its TypeScript types and its JSON Schema, side by side so that they
// change together. Imports nothing that runs: the build compiles STORE_SCHEMA ahead of time with ajv
// (scripts/compile-store-schema.mjs), so no command pays for compiling it at startup.
import {
  AGENT_LOG_FILE,
  FUSIONAUTH_POLICY_FILE_NAME,
  NGROK_MODES,
  POLICY_FILE_NAME,
  STEP_IDS,
  type NgrokMode,
  type StepId,
} from '../constants';

export type StepStatus = 'pending' | 'done' | 'failed' | 'skipped';

/** What the guide has the user paste into a text file, and what we need to pick up where we left. */
export interface Values {
  /** Set up against the sandbox (`setup --sandbox`): later commands start it again from `<configDir>/sandbox`. */
  sandbox?: boolean;
  fusionauthUrl?: string;
  /**
   * FusionAuth on this machine, published through ngrok (`--publish-fusionauth`): its public URL, the
   * tenant's issuer and everything a visitor or ngrok's cloud uses; fusionauthUrl stays the local one
   * this tool calls the management API on (core/ngrok/fusionauth-domain.ts).
   */
  fusionauthPublicUrl?: string;
  /** The person answered "keep it local" when Before You Start offered to publish FusionAuth: not asked again. */
  keepFusionAuthLocal?: boolean;
  tenantId?: string;
  applicationName?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  ngrokMode?: NgrokMode;
  /** The public URL of the protected site (the guide's "endpoint"). */
  endpointUrl?: string;
  edgeId?: string;
  region?: string;
  internalUrl?: string;
  policyFile?: string;
  /** The command that starts the agent, as the guide has the user paste it. */
  agentCommand?: string;
  siteDir?: string;
  sitePort?: number;
  /** API keys typed into the wizard (env and key files are read again each run, never copied here). */
  fusionauthApiKey?: string;
  ngrokApiKey?: string;
  /** The reserved domain the endpoint or edge lives on, e.g. `my-site.ngrok.app`. */
  domain?: string;
  /** Next Steps, FusionAuth side. */
  requireRegistration?: boolean;
  webhookUrl?: string;
  /** Next Steps, ngrok side. Durations as ngrok writes them (`30m`, `24h`). */
  sessionInactivity?: string;
  sessionMaxDuration?: string;
  userinfoRefresh?: string;
  allowCidrs?: string[];
  addHeaders?: Record<string, string>;
  removeHeaders?: string[];
  /** A second local app on another path (the guide's "proxy different paths"). */
  secondPath?: string;
  secondPort?: number;
  /** The ngrok vault and secret the policy reads the client secret from (`secrets.get`), when it does. */
  secretVault?: string;
  secretName?: string;
  /** SHA-256 (hex) of the value last written to the vault secret (vault.ts says why). */
  secretFingerprint?: string;
}

/**
 * The kinds of remote object this tool creates. Each has one entry in core/destroy/kinds.ts (its label,
 * its service and how it is deleted, in dependency order); a new kind is a name here and an entry there.
 */
export const OBJECT_KINDS = [
  'fusionauth-application',
  'fusionauth-webhook',
  'ngrok-reserved-domain',
  'ngrok-edge',
  'ngrok-edge-route',
  'ngrok-backend',
  'ngrok-cloud-endpoint',
  'ngrok-vault',
  'ngrok-vault-secret',
  'ngrok-ip-policy',
  'ngrok-ip-policy-rule',
] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** One object this setup created (or adopted as its own): what `destroy` deletes. */
export interface CreatedObject {
  kind: ObjectKind;
  id: string;
  /** The object it lives in, when its API paths need it (an edge route: its edge's id), or to say which (a vault secret: its vault's id). */
  parent?: string;
  /** Which of several of a kind it is, when a setup has more than one use for the kind (`second`: the second app's route and backend; `fusionauth`: FusionAuth's public reserved domain). */
  role?: string;
}

/**
 * What this setup owns, so that `destroy` removes exactly that. Every object is recorded the moment
 * the create call answers (before anything else), so a crash never loses one; objects of a mode left
 * behind (a switch) stay recorded until they are deleted. `reset` keeps this section (core/store/store.ts).
 */
export interface Created {
  /** A random id made once per setup, named in the mark on every remote object (core/ngrok/ownership.ts, core/fusionauth/application.ts). */
  setupId?: string;
  /** Every remote object, by kind and id, in the order they were created. */
  objects?: CreatedObject[];
  /** Redirect URLs this tool added to the application's list: only these are ever offered for removal. */
  fusionauthRedirectUrls?: string[];
  /** The files this tool made in the config folder (its log, its traffic policy): reset and destroy delete these and no others. */
  localFiles?: LocalFile[];
}

/** The files this tool may make beside the settings, by name in the config folder. */
export const LOCAL_FILES = [AGENT_LOG_FILE, POLICY_FILE_NAME, FUSIONAUTH_POLICY_FILE_NAME] as const;
export type LocalFile = (typeof LOCAL_FILES)[number];

export interface StepRecord {
  status: StepStatus;
  updatedAt: string;
  message?: string;
}

export interface StoreData {
  values: Values;
  created: Created;
  steps: Partial<Record<StepId, StepRecord>>;
}

const str = { type: 'string' } as const;

/**
 * What a stored value must look like, checked on every read (ajv, `pattern`): the file is a plain
 * JSON file a person, a script or anyone with write access may edit, and its values end up in a
 * traffic-policy expression (CEL), an exported YAML file, API paths and the terminal. Each pattern is
 * as wide as the validator that produced the value (core/validate.ts, core/ngrok/next-steps.ts), so
 * everything the wizard stores loads again; `says` is how a refusal describes it, in words.
 */
export const VALUE_FORMATS = {
  /** One line of text: no control character (a line break would start a new YAML key). */
  text: { pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f]*$', says: 'one line of text without control characters' },
  /** A word without spaces or control characters: keys, secrets. */
  word: { pattern: '^[^\\s\\u0000-\\u001f\\u007f-\\u009f]+$', says: 'one word without spaces' },
  /** An http(s) URL on one line, without spaces. */
  url: { pattern: '^https?://[^\\s\\u0000-\\u001f\\u007f-\\u009f]+$', says: 'an http(s) URL' },
  /** A server: scheme, host and port, nothing after (validate.ts serverUrl). */
  origin: {
    pattern: '^https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?$|^https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?$',
    says: 'a server URL like https://auth.example.com',
  },
  httpsOrigin: {
    pattern: '^https://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?$',
    says: 'an https URL like https://my-site.ngrok.app',
  },
  internalUrl: {
    pattern: '^https://[A-Za-z0-9\\-]+(\\.[A-Za-z0-9\\-]+)*\\.internal$',
    says: 'an internal URL like https://my-site.internal',
  },
  hostname: { pattern: '^[A-Za-z0-9.\\-]+$', says: 'a host name like my-site.ngrok.app' },
  uuid: { pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', says: 'a UUID' },
  edgeId: { pattern: '^edghts_[A-Za-z0-9]{10,64}$', says: 'an edge id like edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn' },
  /** ngrok's region names (us, eu, ap, us-cal-1, …). */
  region: { pattern: '^[A-Za-z0-9_\\-]{1,32}$', says: 'a region name like us or eu' },
  /** An id of ngrok (`ep_2x…`) or FusionAuth (a UUID): it goes into API paths. */
  id: { pattern: '^[A-Za-z0-9_\\-]{1,128}$', says: 'an id of letters, digits, _ and -' },
  duration: { pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$', says: 'a duration like 30m or 1h30m' },
  cidr: { pattern: '^[0-9A-Za-z:.%]+(/[0-9]{1,3})?$', says: 'a network like 203.0.113.0/24' },
  /** An HTTP header name (RFC 9110 token), stored with `request:` or `response:` in front for the way it goes. */
  header: { pattern: "^(request:|response:)?[!#$%&'*+.^_`|~0-9A-Za-z\\-]+$", says: 'a header name like X-Site' },
  /** The second app's path (next-steps.ts pathPrefix): no quote, no space, nothing CEL or YAML would read. */
  path: { pattern: '^/[A-Za-z0-9._~/\\-]+$', says: 'a path like /api' },
} as const;

const format = (name: keyof typeof VALUE_FORMATS, extra: Record<string, unknown> = {}) =>
  ({ type: 'string', pattern: VALUE_FORMATS[name].pattern, ...extra }) as const;

const sections = {
  values: {
    type: 'object',
    properties: {
      fusionauthUrl: format('origin'),
      fusionauthPublicUrl: format('httpsOrigin'),
      keepFusionAuthLocal: { type: 'boolean' },
      tenantId: format('uuid'),
      applicationName: format('text'),
      clientId: format('uuid'),
      clientSecret: format('word'),
      redirectUri: format('url'),
      ngrokMode: { type: 'string', enum: [...NGROK_MODES] },
      endpointUrl: format('httpsOrigin'),
      edgeId: format('edgeId'),
      region: format('region'),
      internalUrl: format('internalUrl'),
      policyFile: format('text'),
      agentCommand: format('text'),
      siteDir: format('text'),
      sitePort: { type: 'integer', minimum: 1, maximum: 65535 },
      sandbox: { type: 'boolean' },
      fusionauthApiKey: format('word'),
      ngrokApiKey: format('word'),
      domain: format('hostname'),
      webhookUrl: format('url'),
      requireRegistration: { type: 'boolean' },
      sessionInactivity: format('duration'),
      sessionMaxDuration: format('duration'),
      userinfoRefresh: format('duration'),
      allowCidrs: { type: 'array', items: format('cidr') },
      addHeaders: { type: 'object', propertyNames: format('header'), additionalProperties: format('text') },
      removeHeaders: { type: 'array', items: format('header') },
      secondPath: format('path'),
      secondPort: { type: 'integer', minimum: 1, maximum: 65535 },
      // Names that go into a policy's `secrets.get('…', '…')`: letters, digits, _ and -, never a quote.
      secretVault: format('id'),
      secretName: format('id'),
      secretFingerprint: format('id'),
    },
    default: {},
  },
  created: {
    type: 'object',
    // Ids go into API paths (DELETE /endpoints/{id}): an id is a word of letters, digits, _ and -.
    // Only names this tool writes in localFiles: a hand-edited `../x` must never become something reset deletes.
    // The shape before objects (one key per kind: edgeId, endpointId, …) is migrated on read (migrate.ts).
    properties: {
      setupId: format('uuid'),
      objects: {
        type: 'array',
        items: {
          type: 'object',
          required: ['kind', 'id'],
          properties: {
            kind: { type: 'string', enum: [...OBJECT_KINDS] },
            id: format('id'),
            parent: format('id'),
            role: format('id'),
          },
          additionalProperties: false,
        },
      },
      fusionauthRedirectUrls: { type: 'array', items: format('url') },
      localFiles: { type: 'array', items: { enum: [...LOCAL_FILES] } },
    },
    additionalProperties: false,
    default: {},
  },
  steps: {
    type: 'object',
    propertyNames: { enum: [...STEP_IDS] },
    additionalProperties: {
      type: 'object',
      required: ['status', 'updatedAt'],
      properties: {
        status: { type: 'string', enum: ['pending', 'done', 'failed', 'skipped'] },
        updatedAt: str,
        message: str,
      },
    },
    default: {},
  },
} as const;

/** The whole file. conf's bookkeeping keys (none today) stay allowed: additional root keys are not refused. */
export const STORE_SCHEMA = { type: 'object', properties: sections } as const;
