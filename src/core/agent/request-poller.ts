// The requests the agent saw, while it is online: its local API is asked every `everyMs`
// (requests.ts is the one fetch), each request is counted once, and the newest 50 are kept for the
// view. The owner says where to ask (and when to stop) and is told only what changed.
import { fetchAgentRequests, type AgentRequest } from './requests';

export interface RequestPollerOptions {
  everyMs: number;
  /** The agent's local API (host:port) while it should be asked; undefined ends the polling. */
  target(): string | undefined;
  /** Told when what a viewer sees changed: new requests, a status that came back, reachability. */
  onChange(change: { fresh: number; reachable: boolean }): void;
}

/** The agent keeps a bounded list too, so ids older than this many never come back. */
const SEEN_LIMIT = 5000;
const KEPT = 50;

export class RequestPoller {
  /** The newest requests first, as the agent listed them the last time it answered. */
  recent: AgentRequest[] = [];
  private readonly abort = new AbortController();
  private seen = new Set<string>();
  private reachable?: boolean;
  private timer?: NodeJS.Timeout;
  /** Bumped by each start and stop: a tick of an earlier series (its fetch still out) schedules no more. */
  private series = 0;
  private tornDown = false;

  constructor(private readonly options: RequestPollerOptions) {}

  /** Asks now, then every `everyMs` until `target()` says no more, stop() or teardown(). */
  start(): void {
    this.stop();
    if (!this.tornDown) void this.tick(this.series);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.series++;
  }

  /** For good: cancels a fetch that is out, and start() does nothing after it. */
  teardown(): void {
    this.tornDown = true;
    this.stop();
    this.abort.abort();
  }

  private async tick(series: number): Promise<void> {
    const target = this.options.target();
    if (!target) return;
    try {
      this.take(await fetchAgentRequests(target, { limit: KEPT, signal: this.abort.signal }));
    } catch {
      if (this.tornDown) return;
      if (this.reachable !== false) {
        this.reachable = false;
        this.options.onChange({ fresh: 0, reachable: false });
      }
    }
    if (this.tornDown || series !== this.series) return;
    this.timer = setTimeout(() => void this.tick(series), this.options.everyMs);
    this.timer.unref();
  }

  private take(requests: AgentRequest[]): void {
    let fresh = 0;
    for (const r of requests) {
      if (!this.seen.has(r.id)) {
        this.seen.add(r.id);
        fresh++;
      }
    }
    if (this.seen.size > SEEN_LIMIT) this.seen = new Set(requests.map((r) => r.id));
    const changed =
      fresh > 0 || requests.some((r, i) => r.status !== this.recent[i]?.status) || this.reachable !== true;
    this.recent = requests.slice(0, KEPT);
    this.reachable = true;
    if (changed) this.options.onChange({ fresh, reachable: true });
  }
}
