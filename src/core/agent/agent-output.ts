// The agent's output as lines: a byte stream split into lines. Each line is redacted (core/text's one
// redactor, agent-process.ts) and made text only (cleanLine) before anyone (the view, the log file,
// the state machine) sees it.
import { sanitize, sanitizeDeep } from '../text';

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

/** A JSON escape that decodes to a control character (`\u001b`, `\u009b`, `\u202e`, `\r`, `\b`…). */
const ESCAPED_CONTROL = /\\(?:u(?:00[0-1][0-9a-f]|007f|00[89][0-9a-f]|061c|200[ef]|202[a-e]|206[6-9])|[bfr])/i;

/**
 * The line as text only (core/text/sanitize.ts), for the log file as much as for the screen: raw
 * controls go, and a JSON line whose strings only decode to controls (ngrok writes ESC as `\u001b`) is
 * written again with those strings sanitised, so that `jq` on agent.log cannot bring them back either.
 */
export function cleanLine(text: string): string {
  const clean = sanitize(text);
  if (clean.charCodeAt(0) !== 123 /* { */ || !ESCAPED_CONTROL.test(clean)) return clean;
  try {
    return JSON.stringify(sanitizeDeep(JSON.parse(clean) as unknown));
  } catch {
    return clean;
  }
}
