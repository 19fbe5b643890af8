import { Box, Text } from 'ink';
import type { Hint } from '../keymap';

/** The keys that work right now, at the bottom of the screen: drawn from the screen's keymap. */
export function KeyHints({ lines }: { lines: readonly (readonly Hint[])[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Box key={i} columnGap={2}>
          {line.map(({ key, label }) => (
            <Text key={key + label} wrap="truncate-end">
              <Text bold color="cyan">
                {key}
              </Text>{' '}
              <Text dimColor>{label}</Text>
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}
