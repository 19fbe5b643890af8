import { Box, Text } from 'ink';
import { mask, sanitizeLine } from '../../core/text';
import type { SummaryRow } from '../../steps/types';
import { truncateMiddle } from '../layout/fit';
import { useContentWidth } from '../layout/shell-context';

const shownValue = (r: SummaryRow, reveal: boolean) => (r.secret && !reveal ? mask(r.value) : sanitizeLine(r.value));

/** Whether some row is cut to fit `width` (then the screen offers `w`, whole values). */
export const summaryTruncates = (rows: readonly SummaryRow[], width: number, reveal = false) =>
  rows.some((r) => r.label.length + 2 + [...shownValue(r, reveal)].length > width);

/**
 * Label: value lines; secrets masked unless `reveal` (the screen's `v` key). A value too long for the
 * line (a path, a URL) is cut in the middle, never wrapped under its label; `whole` (the screen's `w`)
 * shows each in full on lines of its own.
 */
export function Summary({
  rows,
  reveal = false,
  whole = false,
}: {
  rows: readonly SummaryRow[];
  reveal?: boolean;
  whole?: boolean;
}) {
  const width = useContentWidth();
  if (!rows.length) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {rows.map((r) => {
        const value = shownValue(r, reveal);
        return whole ? (
          <Box key={r.label} flexDirection="column">
            <Text dimColor>{r.label}:</Text>
            <Text> {value}</Text>
          </Box>
        ) : (
          <Text key={r.label} wrap="truncate-end">
            <Text dimColor>{r.label}: </Text>
            {truncateMiddle(value, Math.max(8, width - r.label.length - 2))}
          </Text>
        );
      })}
    </Box>
  );
}
