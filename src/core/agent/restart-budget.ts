// Whether an agent run that failed is started again, by what its problem is. One budget per series
// of failures in a row (a healthy run starts a new one); the delays are the one retry policy's
// (http/retry.ts), this only says yes or no, and why, in words shown to the user:
//   permanent (no authtoken, an unknown edge)    never: the same command fails the same way
//   a refusal that clears by itself (334)       with backoff until its window has passed
//   an ERR_NGROK code this tool does not know   once: nothing says that a restart helps
//   anything else (a crash, a transient code)   until maxQuickFailures failures in a row
import { isKnownCode, type AgentProblem } from './errors';

export interface RestartVerdict {
  restart: boolean;
  /** Restarting: what the wait is for. Giving up: a sentence saying why, to follow the problem. */
  why: string;
}

export class RestartBudget {
  private quickFailures = 0;
  private readonly firstRefused = new Map<string, number>();
  private readonly restartedOnce = new Set<string>();

  constructor(
    private readonly maxQuickFailures: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts the failed run and says whether it may run again. */
  judge(problem: AgentProblem): RestartVerdict {
    if (problem.permanent) return { restart: false, why: '' };
    const code = problem.code;
    if (code && problem.clearsWithinMs) {
      const first = this.firstRefused.get(code) ?? this.now();
      this.firstRefused.set(code, first);
      const window = describeDuration(problem.clearsWithinMs);
      return this.now() - first < problem.clearsWithinMs
        ? { restart: true, why: `${code} can clear by itself: retrying for up to ${window}` }
        : { restart: false, why: `It was still refused after ${window}, so it is not restarted again.` };
    }
    if (code && !isKnownCode(code)) {
      if (this.restartedOnce.has(code))
        return { restart: false, why: `It failed the same way after one restart, so it is not restarted again.` };
      this.restartedOnce.add(code);
      return { restart: true, why: `once: ${code} is not known to pass by itself` };
    }
    this.quickFailures++;
    return this.quickFailures < this.maxQuickFailures
      ? { restart: true, why: `failure ${this.quickFailures} of ${this.maxQuickFailures}` }
      : { restart: false, why: `It failed ${this.maxQuickFailures} times in a row, so it is not restarted again.` };
  }
}

function describeDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}
