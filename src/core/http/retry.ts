// The one retry policy: exponential backoff with jitter, bounded in attempts and time, cancelled by
// the caller's AbortSignal. Callers say which failures are worth another try (5xx, a dropped
// connection, 429 with its Retry-After, a fresh API key's 401) and nothing else is retried.

export interface RetryOptions {
  attempts?: number;
  /** First delay; doubles each time. */
  baseMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Undefined: do not retry. A number: wait at least that long (e.g. Retry-After) before the next try. */
  retryAfter(error: unknown, attempt: number): number | undefined | false;
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

export const RETRY_DEFAULTS = { attempts: 4, baseMs: 250, maxDelayMs: 8000 } as const;

export async function retry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? RETRY_DEFAULTS.attempts;
  const base = options.baseMs ?? RETRY_DEFAULTS.baseMs;
  const max = options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await run(attempt);
    } catch (error) {
      const floor = options.retryAfter(error, attempt);
      if (floor === undefined || floor === false || attempt >= attempts || options.signal?.aborted) throw error;
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const delay = Math.max(floor, backoff / 2 + Math.random() * (backoff / 2));
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After: 12` or an HTTP date → milliseconds (undefined when absent or unreadable). */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
