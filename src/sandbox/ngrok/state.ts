// The sandbox account: credentials, resources, and the ports it listened on. With a data dir it is
// kept in `ngrok-account.json`, so that a stopped and restarted sandbox keeps its keys, resources,
// callback URL and public URLs (the IdP has the callback URL registered; the store has the URLs).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBase62, randomName } from './ids';
import type {
  CloudEndpoint,
  HttpsEdge,
  IpPolicy,
  IpPolicyRule,
  ReservedDomain,
  TunnelGroupBackend,
  Vault,
  VaultSecret,
} from './model';

interface Persisted {
  apiKey: string;
  authtoken: string;
  devDomain: string;
  userId: string;
  ports: Ports;
  reservedDomains: ReservedDomain[];
  httpsEdges: HttpsEdge[];
  tunnelGroupBackends: TunnelGroupBackend[];
  cloudEndpoints: CloudEndpoint[];
  ipPolicies: IpPolicy[];
  ipPolicyRules: IpPolicyRule[];
  vaults: Vault[];
  vaultSecrets: VaultSecret[];
  /** Secret values by secret id: kept apart from the resources so that no answer can carry one. */
  secretValues: Record<string, string>;
}

export interface Ports {
  api?: number;
  cloud?: number;
  hosts: Record<string, number>;
}

const FILE = 'ngrok-account.json';

/** API keys have ngrok's FIRSTPART_SECONDPART form; authtokens look alike but are a different secret. */
function newSecret(): string {
  return `2${randomBase62(26)}_${randomBase62(21)}`;
}

export class Account {
  apiKey: string;
  authtoken: string;
  /** The account's static dev domain, used by `ngrok http` without `--url`. */
  devDomain: string;
  userId: string;
  ports: Ports;
  readonly reservedDomains = new Map<string, ReservedDomain>();
  readonly httpsEdges = new Map<string, HttpsEdge>();
  readonly tunnelGroupBackends = new Map<string, TunnelGroupBackend>();
  readonly cloudEndpoints = new Map<string, CloudEndpoint>();
  readonly ipPolicies = new Map<string, IpPolicy>();
  readonly ipPolicyRules = new Map<string, IpPolicyRule>();
  readonly vaults = new Map<string, Vault>();
  readonly vaultSecrets = new Map<string, VaultSecret>();
  readonly secretValues = new Map<string, string>();

  private constructor(
    private readonly file: string | undefined,
    data: Partial<Persisted>,
  ) {
    this.apiKey = data.apiKey ?? newSecret();
    this.authtoken = data.authtoken ?? newSecret();
    this.devDomain = data.devDomain ?? `sandbox-${randomName(8)}.ngrok-free.app`;
    this.userId = data.userId ?? `usr_${randomBase62(27)}`;
    this.ports = data.ports ?? { hosts: {} };
    const fill = <T extends { id: string }>(map: Map<string, T>, items: T[] | undefined) => {
      for (const item of items ?? []) map.set(item.id, item);
    };
    fill(this.reservedDomains, data.reservedDomains);
    fill(this.httpsEdges, data.httpsEdges);
    fill(this.tunnelGroupBackends, data.tunnelGroupBackends);
    fill(this.cloudEndpoints, data.cloudEndpoints);
    fill(this.ipPolicies, data.ipPolicies);
    fill(this.ipPolicyRules, data.ipPolicyRules);
    fill(this.vaults, data.vaults);
    fill(this.vaultSecrets, data.vaultSecrets);
    for (const [id, value] of Object.entries(data.secretValues ?? {})) this.secretValues.set(id, value);
  }

  static open(dataDir: string | undefined): Account {
    if (!dataDir) return new Account(undefined, {});
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, FILE);
    let data: Partial<Persisted> = {};
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Persisted>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new Account(file, data);
  }

  /** Persists (with a data dir); called after every change and whenever a port is assigned. */
  save(): void {
    if (!this.file) return;
    const data: Persisted = {
      apiKey: this.apiKey,
      authtoken: this.authtoken,
      devDomain: this.devDomain,
      userId: this.userId,
      ports: this.ports,
      reservedDomains: [...this.reservedDomains.values()],
      httpsEdges: [...this.httpsEdges.values()],
      tunnelGroupBackends: [...this.tunnelGroupBackends.values()],
      cloudEndpoints: [...this.cloudEndpoints.values()],
      ipPolicies: [...this.ipPolicies.values()],
      ipPolicyRules: [...this.ipPolicyRules.values()],
      vaults: [...this.vaults.values()],
      vaultSecrets: [...this.vaultSecrets.values()],
      secretValues: Object.fromEntries(this.secretValues),
    };
    // Write-then-rename: a crash mid-write must not leave a truncated account (the keys are in it).
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  /**
   * What `secrets.get(vault, name)` gives a policy at run time: the value of the secret called `name`
   * in the vault called `vault` (https://ngrok.com/docs/traffic-policy/secrets/: "Takes the vault name
   * as the first argument and the secret name as the second"), or undefined when there is none.
   */
  secretValue(vaultName: string, secretName: string): string | undefined {
    const vault = [...this.vaults.values()].find((v) => v.name === vaultName);
    if (!vault) return undefined;
    const secret = [...this.vaultSecrets.values()].find((s) => s.vault.id === vault.id && s.name === secretName);
    return secret ? this.secretValues.get(secret.id) : undefined;
  }

  /** The reserved domain record for a hostname, if the account reserved it. */
  reservedDomainFor(hostname: string): ReservedDomain | undefined {
    const host = hostname.toLowerCase();
    for (const rd of this.reservedDomains.values()) if (rd.domain === host) return rd;
    return undefined;
  }
}
