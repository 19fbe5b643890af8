// The one HTTP error mapper: a status from FusionAuth or ngrok (or a refused connection, a non-JSON
// body) becomes one sentence of what happened and one of what to do. Each API client extracts its
// service's details (fieldErrors, error_code) and passes them here.
import { UserError } from '../errors';
import { sanitizeLine } from '../text';

export type Service = 'FusionAuth' | 'ngrok';

export interface HttpFailure {
  service: Service;
  /** What we were doing, as a verb phrase: "creating the application". */
  action: string;
  status: number;
  /** The service's own words (its message, error code, field errors), already redacted. */
  detail?: string;
  /** A status-specific fix that only the caller knows (which permission, which key). */
  hint?: string;
}

export function httpFailure({ service, action, status, detail, hint }: HttpFailure): UserError {
  // The service's words are quoted to a terminal: text only, on this line (core/text/sanitize.ts).
  const said = detail ? `: ${sanitizeLine(detail)}` : '.';
  const generic: Record<number, [string, string]> = {
    400: [`${service} refused ${action}${said}`, 'Check the values named above.'],
    401: [
      `${service} rejected the API key while ${action}${said}`,
      `Check the key${service === 'FusionAuth' ? ' and that it may call this endpoint (Settings → API Keys)' : ' (ngrok dashboard → API Keys)'}.`,
    ],
    403: [`${service} does not allow ${action}${said}`, 'Your account or key lacks the permission for it.'],
    404: [
      `${service} does not know what we asked for while ${action}${said}`,
      'It may have been deleted; run the step again to recreate it.',
    ],
    409: [`${service} reports a conflict while ${action}${said}`, 'Something with the same name exists already.'],
    429: [`${service} is rate-limiting us (${action})${said}`, 'Wait a minute and try again.'],
  };
  const [message, fallbackHint] =
    generic[status] ??
    (status >= 500
      ? [
          `${service} had an internal error (HTTP ${status}) while ${action}${said}`,
          'This is on their side; it was retried. Try again in a moment.',
        ]
      : [
          `${service} answered HTTP ${status} while ${action}${said}`,
          "Try again; if it persists, check the service's status page.",
        ]);
  return new UserError(message, { hint: hint ?? fallbackHint });
}

/** A body that should have been JSON and was not (an HTML error page from a proxy). */
export function notJson(service: Service, action: string, status: number): UserError {
  return new UserError(`${service} answered HTTP ${status} with a page that is not JSON while ${action}.`, {
    hint: 'A proxy or load balancer may be in the way, or the URL points at the wrong server.',
  });
}

/**
 * A delete whose target is already gone is done: FusionAuth and ngrok both answer 404 (their errors
 * carry the status), and a rerun then finishes what a failed run left.
 */
export async function deleteIfThere(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof UserError && (error as { status?: unknown }).status === 404)) throw error;
  }
}
