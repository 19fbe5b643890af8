// The one redactor. Every secret shown anywhere (screens, status, logs, errors) goes through mask(),
// and every text that may hold one (an agent line, a server's message) through redact(), fed the one
// list of what this run knows to be secret (core/secrets.ts). Two nets, because each misses what the
// other catches:
//  - the known values, wherever and however they appear (a token quoted in the middle of a sentence);
//  - any value written under a secret's name, in the forms logs and APIs use: `authtoken: X`,
//    `authtoken=X`, `token=X`, `"authtoken":"X"`, `api_key: X`, `client_secret=X`, `Bearer X` — a
//    secret we were never told about (another account's token the agent quotes back) is masked too.

/** `••••••••c0de`: enough of the end to tell two secrets apart, never enough to use one. */
export function mask(secret: string | undefined | null): string {
  if (!secret) return '';
  if (secret.length <= 8) return '•'.repeat(8);
  return '•'.repeat(8) + secret.slice(-4);
}

/** Values shorter than this are left alone: masking them would garble ordinary words. */
const MIN_SECRET = 4;

/**
 * A name that holds a secret (`authtoken`, `api_key`, `client_secret`, `password`, `x-api-key`…), then
 * `:` or `=` with optional quotes (JSON's, escaped JSON's `\"`, YAML's, logfmt's), then the value: at
 * least six characters up to a quote, space or separator, so `token: ok` or `secret=no` stay readable.
 */
const KEYED =
  /(\b[\w-]*(?:token|secret|password|passwd|api[_-]?key)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)([^\s"'\\,;&}\]]{6,})/gi;
const BEARER = /(\bBearer\s+)([^\s"'\\,;]{6,})/gi;
/** The cheap test before the two expressions above: most lines name no secret at all. */
const NAMES_A_SECRET = /token|secret|passw|api[_-]?key|bearer/i;

/** The known values worth looking for: present, long enough, the longest first (one may contain another). */
function usable(secrets: ReadonlyArray<string | undefined | null>): string[] {
  return [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET))].sort(
    (a, b) => b.length - a.length,
  );
}

function redactWith(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(mask(secret));
  if (NAMES_A_SECRET.test(out)) {
    // A value already masked by the first net is left as it is (its mask holds no secret).
    const keep = (whole: string, name: string, value: string) => (value.startsWith('•') ? whole : name + mask(value));
    out = out.replace(KEYED, keep).replace(BEARER, keep);
  }
  return out;
}

/** Replaces every known secret, and every value under a secret's name, by its mask. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
  return redactWith(text, usable(secrets));
}

/**
 * redact() with the list prepared once, for a stream of texts (the agent's lines, thousands a
 * second under a flood): the list is filtered and sorted once, not per line.
 */
export function redactor(secrets: ReadonlyArray<string | undefined | null>): (text: string) => string {
  const known = usable(secrets);
  return (text) => redactWith(text, known);
}
