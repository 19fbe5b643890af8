// The agents that are online right now and their tunnels. Not persisted: an agent that is gone is
// offline, as in ngrok. The cloud adds a session when an agent registers and removes it when the
// agent's long-lived registration request closes.
import type { Policy } from './policy/parse';

export interface OnlineTunnel {
  id: string; // tn_…
  name: string;
  sessionId: string; // ts_…
  /** For agent endpoints (`ngrok http`): the endpoint's id (ep_…), URL and hostname. */
  endpointId?: string;
  url?: string;
  host?: string;
  labels?: Record<string, string>;
  /** The agent's upstream (`forwards_to`), e.g. http://localhost:8000. */
  addr: string;
  policyText?: string;
  policy?: Policy;
  pooling: boolean;
  startedAt: string;
}

export interface AgentSession {
  id: string;
  /** The agent's local forwarder: the cloud sends matching requests there. */
  forwardUrl: string;
  agentVersion: string;
  region: string;
  startedAt: string;
  tunnels: OnlineTunnel[];
  close(): void;
}

/**
 * Whether a tunnel joins a tunnel-group backend: it carries every label of the backend, and may carry
 * more. ngrok, "Using Labels within ngrok" → Tunnel Group Label Match Criteria: "Tunnel labels must
 * match ALL labels for the tunnel group, although labeled tunnels can have additional labels";
 * "Tunnels can be members of multiple tunnel group backends" (ngrok/ngrok-docs,
 * docs/guides/other-guides/using-labels-within-ngrok.md; ngrok.com/docs/guides/using-labels-within-ngrok/).
 * Keys and values compare case-sensitively, in any order.
 */
export function labelsMatch(backend: Record<string, string>, tunnel: Record<string, string>): boolean {
  return Object.entries(backend).every(([key, value]) => Object.hasOwn(tunnel, key) && tunnel[key] === value);
}

export class Registry {
  readonly sessions = new Map<string, AgentSession>();
  private readonly roundRobin = new Map<string, number>();

  add(session: AgentSession): void {
    this.sessions.set(session.id, session);
  }

  remove(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  tunnels(): OnlineTunnel[] {
    return [...this.sessions.values()].flatMap((s) => s.tunnels);
  }

  /** Agent endpoints serving a hostname (public or `.internal`). */
  byHost(host: string): OnlineTunnel[] {
    return this.tunnels().filter((t) => t.host === host);
  }

  /** Labeled tunnels that a backend with these labels takes in (see `labelsMatch`). */
  byLabels(labels: Record<string, string>): OnlineTunnel[] {
    return this.tunnels().filter((t) => t.labels !== undefined && labelsMatch(labels, t.labels));
  }

  /** Spreads requests over pooled endpoints the way ngrok's edge balances them (round robin here). */
  pick<T>(key: string, candidates: T[]): T | undefined {
    if (candidates.length === 0) return undefined;
    const n = this.roundRobin.get(key) ?? 0;
    this.roundRobin.set(key, n + 1);
    return candidates[n % candidates.length];
  }

  session(id: string): AgentSession | undefined {
    return this.sessions.get(id);
  }

  closeAll(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }
}
