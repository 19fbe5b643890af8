import { Box, Text } from 'ink';
import { mask, sanitizeLine } from '../../core/text';
import type { SummaryRow } from '../../steps/types';

/** Label: value lines; secrets masked unless `reveal` (the screen's `v` key). */
export function Summary({ rows, reveal = false }: { rows: readonly SummaryRow[]; reveal?: boolean }) {
  if (!rows.length) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {rows.map((r) => (
        <Text key={r.label}>
          <Text dimColor>{r.label}: </Text>
          {r.secret && !reveal ? mask(r.value) : sanitizeLine(r.value)}
        </Text>
      ))}
    </Box>
  );
}
