import { Box, Text } from 'ink';
import { siteDownNotice, type AgentState, type AgentStatus } from '../../core/agent';
import { sanitize } from '../../core/text';

const LOOK: Record<AgentState['kind'], { mark: string; color: string }> = {
  starting: { mark: '◌', color: 'cyan' },
  connecting: { mark: '◌', color: 'cyan' },
  online: { mark: '●', color: 'green' },
  reconnecting: { mark: '◍', color: 'yellow' },
  failed: { mark: '✘', color: 'red' },
  stopped: { mark: '■', color: 'gray' },
};

export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** One line: state, public URL, uptime, restarts, requests; the failure with its fix; a site that is down. */
export function StatusLine({ status, now, localUrl }: { status: AgentStatus; now: number; localUrl?: string }) {
  const { state } = status;
  const look = LOOK[state.kind];
  const url = state.kind === 'online' ? state.url : status.publicUrl;
  const siteDown =
    status.siteDown && !['failed', 'stopped'].includes(state.kind) ? siteDownNotice(status.siteDown) : undefined;
  return (
    <Box flexDirection="column">
      <Box columnGap={2} flexWrap="wrap">
        <Text color={look.color} bold>
          {look.mark} {state.kind}
        </Text>
        {url ? <Text color={state.kind === 'online' ? 'cyan' : 'gray'}>{url}</Text> : null}
        <Text dimColor>up {status.onlineSince ? formatUptime(now - status.onlineSince) : '–'}</Text>
        <Text dimColor>restarts {status.restarts}</Text>
        <Text dimColor>requests {status.requests}</Text>
        {localUrl && localUrl !== url ? <Text dimColor>here: {localUrl}</Text> : null}
      </Box>
      {state.kind === 'reconnecting' && state.reason ? <Text color="yellow"> {sanitize(state.reason)}</Text> : null}
      {siteDown ? (
        <Box flexDirection="column">
          <Text color="yellow"> {siteDown.message}</Text>
          <Text dimColor> → {siteDown.fix}</Text>
        </Box>
      ) : null}
      {state.kind === 'failed' ? (
        <Box flexDirection="column">
          <Text color="red"> {sanitize(state.problem.message)}</Text>
          {state.problem.fix ? <Text dimColor> → {sanitize(state.problem.fix)}</Text> : null}
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * The agent that publishes FusionAuth: one line (truncated as a whole on a narrow terminal), its state
 * and public URL; a failure with its reason under it.
 */
export function PublisherLine({ status }: { status: AgentStatus }) {
  const { state } = status;
  const look = LOOK[state.kind];
  const url = state.kind === 'online' ? state.url : status.publicUrl;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text dimColor>FusionAuth </Text>
        <Text color={look.color} bold>
          {look.mark} {state.kind}
        </Text>
        {url ? <Text color={state.kind === 'online' ? 'cyan' : 'gray'}> {url}</Text> : null}
      </Text>
      {state.kind === 'failed' ? (
        <Text color="red" wrap="truncate-end">
          {' '}
          {sanitize(state.problem.message)}
        </Text>
      ) : null}
    </Box>
  );
}
