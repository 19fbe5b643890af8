// The shape of the settings file: its TypeScript types and its JSON Schema, side by side so that they
// change together. Imports nothing that runs: the build compiles STORE_SCHEMA ahead of time with ajv
// (scripts/compile-store-schema.mjs), so no command pays for compiling it at startup.
import { AGENT_LOG_FILE, NGROK_MODES, POLICY_FILE_NAME, STEP_IDS, type NgrokMode, type StepId } from '../constants';

export type StepStatus = 'pending' | 'done' | 'failed' | 'skipped';

/** What the guide has the user paste into a text file, and what we need to pick up where we left. */
export interface Values {
  /** Set up against the sandbox (`setup --sandbox`): later commands start it again from `<configDir>/sandbox`. */
  sandbox?: boolean;
  fusionauthUrl?: string;
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
}

/**
 * Ids of everything this tool created remotely, so that `destroy` removes exactly that. Recorded the
 * moment the create call answers (before anything else), so a crash never loses one.
 */
export interface Created {
  fusionauthApplicationId?: string;
  fusionauthWebhookId?: string;
  reservedDomainId?: string;
  edgeId?: string;
  backendId?: string;
  routeId?: string;
  secondBackendId?: string;
  secondRouteId?: string;
  endpointId?: string;
  ipPolicyId?: string;
  ipPolicyRuleIds?: string[];
  /** The files this tool made in the config folder (its log, its traffic policy): reset and destroy delete these and no others. */
  localFiles?: LocalFile[];
}

/** The files this tool may make beside the settings, by name in the config folder. */
export const LOCAL_FILES = [AGENT_LOG_FILE, POLICY_FILE_NAME] as const;
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
const sections = {
  values: {
    type: 'object',
    properties: {
      fusionauthUrl: str, tenantId: str, applicationName: str, clientId: str, clientSecret: str, redirectUri: str,
      ngrokMode: { type: 'string', enum: [...NGROK_MODES] },
      endpointUrl: str, edgeId: str, region: str, internalUrl: str, policyFile: str, agentCommand: str, siteDir: str,
      sitePort: { type: 'integer', minimum: 1, maximum: 65535 },
      sandbox: { type: 'boolean' },
      fusionauthApiKey: str, ngrokApiKey: str, domain: str, webhookUrl: str,
      requireRegistration: { type: 'boolean' },
      sessionInactivity: str, sessionMaxDuration: str, userinfoRefresh: str,
      allowCidrs: { type: 'array', items: str },
      addHeaders: { type: 'object', additionalProperties: str },
      removeHeaders: { type: 'array', items: str },
      secondPath: str,
      secondPort: { type: 'integer', minimum: 1, maximum: 65535 },
    },
    default: {},
  },
  created: {
    type: 'object',
    // Only names this tool writes: a hand-edited `../x` must never become something reset deletes.
    properties: { localFiles: { type: 'array', items: { enum: [...LOCAL_FILES] } } },
    additionalProperties: { anyOf: [str, { type: 'array', items: str }] },
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
