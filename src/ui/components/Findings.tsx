import { Box, Text } from 'ink';
import type { Finding } from '../../core/findings';
import { sanitize } from '../../core/text';
import { levelMark } from '../theme';

/** What a check found, one line each, with the fix under it; wrapped lines keep their indent. */
export function Findings({ findings }: { findings: readonly Finding[] }) {
  if (!findings.length) return null;
  return (
    <Box flexDirection="column">
      {findings.map((f, i) => (
        <Box key={i}>
          <Box width={2} flexShrink={0}>
            <Text color={levelMark[f.level].color}>{levelMark[f.level].mark}</Text>
          </Box>
          <Box flexDirection="column" flexShrink={1}>
            {/* Titles quote servers and the agent: Ink keeps OSC sequences, so text goes through the one sanitiser. */}
            <Text>{sanitize(f.title)}</Text>
            {f.fix ? <Text dimColor>→ {sanitize(f.fix)}</Text> : null}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
