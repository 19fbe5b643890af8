import { Box, Text } from 'ink';
import type { AgentRequest } from '../../core/agent';
import { sanitizeLine } from '../../core/text';

function statusColor(status: number | undefined): string | undefined {
  if (status === undefined) return 'gray';
  if (status >= 500) return 'red';
  if (status >= 400) return 'yellow';
  if (status >= 300) return 'cyan';
  return 'green';
}

/** HH:MM:SS in local time, like the log lines. */
function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toTimeString().slice(0, 8);
}

/** The newest requests the agent saw: method, path, status, time. */
export function RequestsTable({
  requests,
  reachable,
  rows,
}: {
  requests: readonly AgentRequest[];
  reachable?: boolean;
  rows: number;
}) {
  if (reachable === false)
    return <Text dimColor>The agent's local API does not answer (web_addr turned off?): no request list.</Text>;
  if (!requests.length)
    return <Text dimColor>No requests have reached the agent yet (visitors appear here once logged in).</Text>;
  return (
    <Box flexDirection="column">
      {requests.slice(0, rows).map((r) => (
        <Text key={r.id} wrap="truncate-end">
          <Text bold>{sanitizeLine(r.method).padEnd(6)}</Text>
          <Text color={statusColor(r.status)}>{String(r.status ?? '…').padEnd(4)}</Text>
          <Text dimColor>{clock(r.start).padEnd(9)}</Text>
          <Text dimColor>{`${r.durationMs} ms`.padStart(8)} </Text>
          {/* What a visitor sent, as the agent's API reports it: text only. */}
          <Text>{sanitizeLine(r.path)}</Text>
        </Text>
      ))}
    </Box>
  );
}
