// The agent's life as plain lines (tunnel --no-tui, or no TTY; verify while it starts the tunnel):
// each log line with its time and level, and each change of state.
import type { AgentState } from '../core/agent';
import { describeLine, type AgentLogLine } from '../core/agent';

export function plainLine(line: AgentLogLine): string {
  const t = line.fields.t;
  const clock = typeof t === 'string' && t.length >= 19 ? t.slice(11, 19) : new Date().toISOString().slice(11, 19);
  return `${clock} ${line.level.toUpperCase()} ${line.source === 'supervisor' ? '» ' : ''}${describeLine(line)}`;
}

export function plainState(state: AgentState): string {
  switch (state.kind) {
    case 'online':
      return `== online: ${state.url}`;
    case 'reconnecting':
      return `== reconnecting${state.reason ? `: ${state.reason}` : ''}`;
    case 'failed':
      return `== failed: ${state.problem.message}${state.problem.fix ? `\n   → ${state.problem.fix}` : ''}`;
    default:
      return `== ${state.kind}`;
  }
}
