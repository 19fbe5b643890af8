// The error types that reach the user. Anything thrown that is not a UserError is a bug: the CLI
// prints it as one, still without a stack trace unless NGROK_FUSIONAUTH_DEBUG is set.

/** Exit codes of the command-line contract (README.md, "Commands"): scripts and tests depend on them. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A failure the user can act on: one sentence of what happened, optionally one of what to do.
 * One class in the shipped CLI too: the build gives this file a dist file of its own (dist/errors.js)
 * that every other output imports, so `instanceof` holds across dist/status.js and the rest.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly options: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'UserError';
  }
  get exitCode(): ExitCode {
    return this.options.exitCode ?? ExitCode.failed;
  }
  get hint(): string | undefined {
    return this.options.hint;
  }
}

/** Missing or invalid input in a non-interactive run: exit 2. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: ExitCode.usage });
    this.name = 'UsageError';
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** One line for any thrown value, for places that must show *something* without a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof UserError) return error.hint ? `${error.message}\n${error.hint}` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
