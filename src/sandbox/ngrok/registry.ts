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

  /** Labeled tunnels whose labels equal the backend's labels exactly. */
  byLabels(labels: Record<string, string>): OnlineTunnel[] {
    const wanted = Object.entries(labels);
    return this.tunnels().filter((t) => {
      if (!t.labels) return false;
      const have = Object.entries(t.labels);
      return have.length === wanted.length && wanted.every(([k, v]) => t.labels![k] === v);
    });
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
