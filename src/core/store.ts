// The conf store: every value the guide has the user copy into a text file, the ids of everything
// this tool created, and each step's state. One JSON file, 0600, in a 0700 folder. A file that is
// not valid (hand-edited, truncated) is moved aside with a clear message, never silently reset.
import Conf from 'conf';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from './errors';

import { AGENT_LOG_FILE, NGROK_MODES, POLICY_FILE_NAME, STEP_IDS, type NgrokMode, type StepId } from './constants';

export { NGROK_MODES, STEP_IDS, type NgrokMode, type StepId };
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
}

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
const schema = {
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

export const CONFIG_FILE_NAME = 'config.json';

/** A shallow merge in which `undefined` deletes the key (JSON has no undefined). */
function merged<T extends object>(current: T, partial: Partial<T>): T {
  const next = { ...current } as Record<string, unknown>;
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next as T;
}

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NGROK_FUSIONAUTH_CONFIG_DIR) return path.resolve(env.NGROK_FUSIONAUTH_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'ngrok-fusionauth');
}

export class StoreCorruptError extends UserError {
  constructor(
    readonly file: string,
    readonly keptAt: string,
    reason: string,
  ) {
    super(`The settings file ${file} is damaged (${reason}).`, {
      hint: `It was moved to ${keptAt} so nothing is lost. Fix it and move it back, or run again to start with empty settings.`,
    });
    this.name = 'StoreCorruptError';
  }
}

export class Store {
  private constructor(
    private readonly conf: Conf<StoreData>,
    readonly dir: string,
  ) {}

  /** Opens (creating if needed) the store in `dir`. Throws StoreCorruptError for a damaged file. */
  static open(dir: string = defaultConfigDir()): Store {
    const resolved = path.resolve(dir);
    mkdirSync(resolved, { recursive: true, mode: 0o700 });
    chmodSync(resolved, 0o700);
    const file = path.join(resolved, CONFIG_FILE_NAME);
    Store.refuseDamaged(file);
    try {
      const conf = new Conf<StoreData>({
        cwd: resolved,
        configName: 'config',
        schema,
        configFileMode: 0o600,
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
      });
      return new Store(conf, resolved);
    } catch (error) {
      // The schema (types, enums) is checked by conf when it loads the file.
      throw Store.moveAside(file, error instanceof Error ? error.message.replace(/^Config schema violation: /, 'wrong values: ') : String(error));
    }
  }

  /** Our writes are atomic, so an empty or unparsable file was damaged from outside. */
  private static refuseDamaged(file: string): void {
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    if (text.trim() === '') throw Store.moveAside(file, 'the file is empty');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw Store.moveAside(file, `not valid JSON: ${(error as Error).message}`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw Store.moveAside(file, 'it does not hold a JSON object');
  }

  private static moveAside(file: string, reason: string): StoreCorruptError {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const keptAt = `${file}.broken-${stamp}`;
    renameSync(file, keptAt);
    return new StoreCorruptError(file, keptAt, reason);
  }

  get path(): string {
    return this.conf.path;
  }

  get values(): Values {
    return this.conf.get('values');
  }

  /** Merges values; `undefined` removes a key. */
  setValues(partial: Partial<Values>): void {
    this.conf.set('values', merged(this.values, partial));
  }

  get created(): Created {
    return this.conf.get('created');
  }

  /** Merges ids; `undefined` removes one (deleted remotely). */
  setCreated(partial: Partial<Created>): void {
    this.conf.set('created', merged(this.created, partial));
  }

  step(id: StepId): StepRecord | undefined {
    return this.conf.get('steps')[id];
  }

  get steps(): Partial<Record<StepId, StepRecord>> {
    return this.conf.get('steps');
  }

  setStep(id: StepId, status: StepStatus, message?: string): void {
    const record: StepRecord = { status, updatedAt: new Date().toISOString(), ...(message ? { message } : {}) };
    this.conf.set('steps', { ...this.steps, [id]: record });
  }

  /** Forgets the progress of every step; keeps the values, which become the defaults of each screen. */
  clearSteps(): void {
    this.conf.set('steps', {});
  }

  /**
   * Forgets everything local: the settings, and the files kept beside them (the traffic policy, the
   * agent's log). The sandbox's own state (`sandbox/`) stays: it is the sandbox's "remote" world.
   */
  clear(): void {
    this.conf.clear();
    for (const file of [POLICY_FILE_NAME, AGENT_LOG_FILE, `${AGENT_LOG_FILE}.1`]) rmSync(path.join(this.dir, file), { force: true });
  }

  snapshot(): StoreData {
    return { values: this.values, created: this.created, steps: this.steps };
  }
}
