// The agent's output as lines: a byte stream split into lines. Each line is redacted (core/text's one
// redactor, agent-process.ts) before anyone (the view, the log file, the state machine) sees it.

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
