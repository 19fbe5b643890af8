// Every HTTP answer we read is read bounded. fetch's text()/json() read until the server stops: a
// huge ngrok API answer took 6.4 GB of memory, a huge discovery document 2 GB, and then the run said
// "Could not reach" about a server that had answered.
//
// The limit, 4 MB: the largest answers we read are an ngrok list page (limit=100 items of about 1 KB
// each: ~100-300 KB), a FusionAuth tenant or application (tens of KB), a login page (tens of KB) and
// the agent's request log (50 requests). 4 MB is more than ten times any of them, and small enough
// that reading it costs nothing on a shared machine.
import { UserError } from '../errors';

export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

const MB = 1024 * 1024;
/** Whole megabytes for big sizes; exact bytes near the limit, where "4 MB" would not say it is over. */
const sizeText = (bytes: number) => (bytes >= 10 * MB ? `${Math.round(bytes / MB)} MB` : `${bytes} bytes`);

/** An answer larger than the limit: a UserError with what to check, never retried. */
export class BodyTooLargeError extends UserError {
  constructor(
    readonly who: string,
    /** The declared size (Content-Length), when the server said it. */
    readonly declaredBytes: number | undefined,
  ) {
    const limit = `${BODY_LIMIT_BYTES / MB} MB`;
    super(
      declaredBytes === undefined
        ? `${who} answered with more than ${limit}, more than expected.`
        : `${who} answered with ${sizeText(declaredBytes)}, more than expected (the limit is ${limit}).`,
      {
        hint: `Check that the URL points at ${who === 'FusionAuth' || who === 'ngrok' ? `the ${who} API` : 'the right server'}: a proxy or a wrong address can send a large page. If it does, report this.`,
      },
    );
    this.name = 'BodyTooLargeError';
  }
}

// Statuses whose answer has no body by definition (and that `new Response` refuses a body for).
const NULL_BODY = new Set([204, 205, 304]);

/**
 * The same answer with its body read into memory, at most BODY_LIMIT_BYTES of it: its text() and
 * json() then cost nothing and cannot grow. A Content-Length over the limit is refused before a byte is
 * read; a body that goes past the limit is cancelled there (which closes the connection, so the
 * server stops sending). `who` names the server in the sentence ("FusionAuth", "ngrok", an origin).
 */
export async function boundedResponse(response: Response, who: string): Promise<Response> {
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  if (response.status < 200 || response.status > 599) {
    // fetch passes any three digits on; a Response cannot hold them, and no API of ours answers them.
    await response.body?.cancel();
    throw new UserError(`${who} answered with HTTP ${response.status}, which is not a status it uses.`, {
      hint: 'Check that the URL points at the right server.',
    });
  }
  if (!response.body || NULL_BODY.has(response.status)) {
    await response.body?.cancel();
    return new Response(null, init);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > BODY_LIMIT_BYTES) {
    await response.body.cancel();
    throw new BodyTooLargeError(who, declared);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > BODY_LIMIT_BYTES) {
      await reader.cancel();
      throw new BodyTooLargeError(who, undefined);
    }
    chunks.push(value);
  }
  return new Response(Buffer.concat(chunks, total), init);
}
