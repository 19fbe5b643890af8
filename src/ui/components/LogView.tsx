import { Box, Text } from 'ink';
import type { AgentLogLine, LogLevel } from '../../core/agent';
// describeLine() sanitises (core/text/sanitize.ts): Ink itself strips cursor moves and screen clears
// but keeps OSC sequences (window titles, clipboard writes, hyperlinks), so the one sanitiser runs first.
import { describeLine } from '../../core/text';

const LEVEL_LOOK: Record<LogLevel, { label: string; color?: string; bold?: boolean }> = {
  dbug: { label: 'DBUG', color: 'gray' },
  info: { label: 'INFO', color: 'blue' },
  warn: { label: 'WARN', color: 'yellow' },
  eror: { label: 'EROR', color: 'red' },
  crit: { label: 'CRIT', color: 'red', bold: true },
};

/** HH:MM:SS from the line's own time (ngrok's `t`), when it has one. */
function clock(line: AgentLogLine): string {
  const t = line.fields.t;
  return typeof t === 'string' && t.length >= 19 ? t.slice(11, 19) : '        ';
}

/** The lines given, one terminal row each (long ones cut), coloured by level. */
export function LogView({ lines, height, empty }: { lines: readonly AgentLogLine[]; height: number; empty: string }) {
  return (
    <Box flexDirection="column" height={height}>
      {lines.map((line, i) => {
        const look = LEVEL_LOOK[line.level];
        return (
          <Text key={i} wrap="truncate-end">
            <Text dimColor>{clock(line)} </Text>
            <Text color={look.color} bold={look.bold}>
              {look.label}
            </Text>{' '}
            <Text
              color={
                line.level === 'eror' || line.level === 'crit' ? 'red' : line.level === 'dbug' ? 'gray' : undefined
              }
            >
              {line.source === 'supervisor' ? '» ' : ''}
              {describeLine(line)}
            </Text>
          </Text>
        );
      })}
      {lines.length === 0 ? <Text dimColor>{empty}</Text> : null}
    </Box>
  );
}
