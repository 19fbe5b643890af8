// oidc-provider's storage (sessions, interactions, codes, tokens, grants), in memory and shared by
// the per-tenant providers, so that re-creating a provider when a tenant's issuer changes does not
// log anyone out; and its `Client` model, answered from the applications instead of being stored.
import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

/** Models whose records carry a grantId and go when their grant is revoked. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

export class OidcStore {
  readonly #entries = new Map<string, Entry>();
  readonly #sessionsByUid = new Map<string, string>();
  readonly #grantMembers = new Map<string, Set<string>>();
  #writes = 0;

  get(model: string, id: string): AdapterPayload | undefined {
    const key = `${model}:${id}`;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    const key = `${model}:${id}`;
    this.#entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    if (model === 'Session' && payload.uid) this.#sessionsByUid.set(payload.uid, id);
    if (GRANTABLE.has(model) && payload.grantId) {
      const members = this.#grantMembers.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.#grantMembers.set(payload.grantId, members);
    }
    if (++this.#writes % 200 === 0) this.#sweep();
  }

  delete(model: string, id: string): void {
    this.#entries.delete(`${model}:${id}`);
  }

  sessionIdForUid(uid: string): string | undefined {
    return this.#sessionsByUid.get(uid);
  }

  revokeGrant(grantId: string): void {
    for (const key of this.#grantMembers.get(grantId) ?? []) this.#entries.delete(key);
    this.#grantMembers.delete(grantId);
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

class StoreAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: OidcStore,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.model, id, payload, expiresIn);
  }
  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.get(this.model, id);
  }
  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.store.sessionIdForUid(uid);
    return id === undefined ? undefined : this.store.get(this.model, id);
  }
  async findByUserCode(): Promise<AdapterPayload | undefined> {
    return undefined; // no device flow
  }
  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.model, id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string): Promise<void> {
    this.store.delete(this.model, id);
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(grantId);
  }
}

/** Reads clients from the applications; the provider never writes them (no dynamic registration). */
class ClientAdapter extends StoreAdapter {
  constructor(
    store: OidcStore,
    private readonly clientFor: (clientId: string) => ClientMetadata | undefined,
  ) {
    super('Client', store);
  }
  override async find(id: string): Promise<AdapterPayload | undefined> {
    return this.clientFor(id);
  }
}

export function adapterFactory(store: OidcStore, clientFor: (clientId: string) => ClientMetadata | undefined) {
  return (model: string): Adapter =>
    model === 'Client' ? new ClientAdapter(store, clientFor) : new StoreAdapter(model, store);
}
