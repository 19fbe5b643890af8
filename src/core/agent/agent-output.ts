// The agent's output as lines: a byte stream split into lines, and each line redacted before anyone
// (the view, the log file, the state machine) sees it.
import { mask, redact } from '../text';

/** The one split of a byte stream into lines (CRLF tolerated); an endless line is cut at 64 KB. */
export function lineSplitter(onLine: (line: string) => void, maxLine = 64 * 1024) {
  let rest = '';
  return {
    push(chunk: string) {
      const text = rest ? rest + chunk : chunk;
      let start = 0;
      let nl: number;
      while ((nl = text.indexOf('\n', start)) >= 0) {
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end > start) onLine(text.slice(start, end));
        start = nl + 1;
      }
      rest = start === 0 ? text : text.slice(start);
      if (rest.length > maxLine) {
        onLine(rest);
        rest = '';
      }
    },
    flush() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}

/** "Your authtoken: 2abc…" (the agent quotes a bad one back): only its mask is ever shown. */
const AUTHTOKEN_ECHO = /(authtoken:\s*)([^\s\\"]{6,})/gi;

/**
 * Replaces each secret, and any authtoken the agent quotes, by its mask. Values under 4 characters
 * are left out (masking them would garble ordinary words). The cheap `includes` checks come first:
 * most lines hold no secret.
 */
export function lineRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const known = secrets.filter((s): s is string => Boolean(s && s.length >= 4));
  return (text) => {
    let out = known.some((secret) => text.includes(secret)) ? redact(text, known) : text;
    if (out.includes('uthtoken')) out = out.replace(AUTHTOKEN_ECHO, (_, prefix: string, token: string) => prefix + mask(token));
    return out;
  };
}
