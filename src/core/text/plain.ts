// Plain-text output, in one place: the marks and the line formats that the commands print when there
// is no screen (status, verify, destroy, setup --no-input, tunnel --no-tui). ui/theme.ts gives the same
// marks their colours on screen. Scripts and tests read these lines: a change here is a visible change.
// Every format sanitises what it is given (sanitize.ts): titles, messages and log lines quote servers,
// the agent and the settings file, and a terminal must get text from them, never escape sequences.
// Types only from the other domains: `status` bundles this folder, and must not load the agent's code.
import type { AgentLogLine, AgentState } from '../agent';
import type { Finding, FindingLevel } from '../findings';
import type { StepStatus } from '../store';
import type { VerifyCheck } from '../tunnel';
import { sanitize, sanitizeLine } from './sanitize';

/** The mark of each finding level. */
export const FINDING_MARK: Record<FindingLevel, string> = { ok: '✔', info: 'ℹ', warn: '⚠', error: '✘', unchecked: '–' };

/** The mark of each step's state, in `status` and in the wizard's list of sections. */
export const STEP_MARK: Record<StepStatus, string> = { done: '✔', failed: '✘', pending: '○', skipped: '–' };

/** The mark of each verify check. */
export const CHECK_MARK: Record<VerifyCheck['status'], string> = { pass: '✔', fail: '✘', skip: '–' };

/** What to do, on its own line under the thing it fixes: `  → fix`, indented by `indent`. */
function fixLine(fix: string, indent: string): string {
  return `\n${indent}→ ${sanitize(fix)}`;
}

/** A heading line: a section of `setup --no-input`, a change of the agent's state. */
export function heading(text: string): string {
  return `== ${sanitize(text)}`;
}

/** "What to run next" at the end of a setup (steps/next-commands.ts): a heading, then `label: value  (note)`. */
export function nextStepLines(lines: readonly { label: string; value: string; note?: string }[]): string {
  return [
    heading('What to run next'),
    ...lines.map((l) => `   ${l.label}: ${sanitizeLine(l.value)}${l.note ? `  (${l.note})` : ''}`),
  ].join('\n');
}

/** A finding as plain lines: the mark and title, then its fix under it, all indented by `indent`. */
export function findingLines(f: Finding, indent = ''): string {
  return `${indent}${FINDING_MARK[f.level]} ${sanitize(f.title)}${f.fix ? fixLine(f.fix, `${indent}  `) : ''}`;
}

/** One verify check: `✔ title: message`, and the fix under a failed one. */
export function checkLine(check: VerifyCheck): string {
  return `${CHECK_MARK[check.status]} ${sanitize(`${check.title}: ${check.message}`)}${check.status === 'fail' && check.fix ? fixLine(check.fix, '  ') : ''}`;
}

/** One step in `status`: `  ✔ 3. title — done (message)`; a pending step does not say "pending". */
export function stepLine(number: number, step: { title: string; status: StepStatus; message?: string | null }): string {
  return `  ${STEP_MARK[step.status]} ${number}. ${step.title}${step.status === 'pending' ? '' : ` — ${step.status}`}${step.message ? ` (${sanitizeLine(step.message)})` : ''}`;
}

/** A field as text: strings as they are, `addr` objects and the like as compact JSON. */
function fieldText(value: unknown): string {
  // Decoded from the agent's JSON: `\u001b` in the line is a real escape here, so each string is sanitised.
  if (typeof value === 'string') return sanitizeLine(value);
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'object')
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? sanitizeLine(v) : v));
  return String(value);
}

const SHOWN_ELSEWHERE = new Set(['t', 'lvl', 'level', 'msg']);

/** `msg key=value …` without the time and level, for one line of the live view or the plain output; sanitised, on one line. */
export function describeLine(line: AgentLogLine): string {
  let text = line.msg;
  const fields = line.fields;
  for (const key in fields) {
    // The supervisor's own lines are marked as such where they are shown.
    if (SHOWN_ELSEWHERE.has(key) || (key === 'obj' && line.source === 'supervisor')) continue;
    const raw = fields[key];
    const value = fieldText(raw);
    text += ` ${key}=${typeof raw === 'string' && (value === '' || /[\s"]/.test(value)) ? JSON.stringify(value) : value}`;
  }
  return sanitizeLine(text);
}

/**
 * One line of the agent's log: `hh:mm:ss LEVEL message key=value…`, the time the agent's own (`t`)
 * or else now; the supervisor's own lines are marked `» `.
 */
export function plainLine(line: AgentLogLine): string {
  const t = line.fields.t;
  const clock = typeof t === 'string' && t.length >= 19 ? t.slice(11, 19) : new Date().toISOString().slice(11, 19);
  return `${clock} ${line.level.toUpperCase()} ${line.source === 'supervisor' ? '» ' : ''}${describeLine(line)}`;
}

/** A change of the agent's state: `== online: URL`, `== failed: why` with the fix under it. */
export function plainState(state: AgentState): string {
  switch (state.kind) {
    case 'online':
      return heading(`online: ${state.url}`);
    case 'reconnecting':
      return heading(`reconnecting${state.reason ? `: ${state.reason}` : ''}`);
    case 'failed':
      return heading(`failed: ${state.problem.message}${state.problem.fix ? fixLine(state.problem.fix, '   ') : ''}`);
    default:
      return heading(state.kind);
  }
}
