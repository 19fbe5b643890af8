import { Box, Text } from 'ink';

export type Hint = readonly [key: string, label: string];

/** The keys that work right now, at the bottom of the screen. */
export function KeyHints({ hints }: { hints: readonly Hint[] }) {
  return (
    <Box marginTop={1} columnGap={2} flexWrap="wrap">
      {hints.map(([key, label]) => (
        <Text key={key + label}>
          <Text bold color="cyan">
            {key}
          </Text>{' '}
          <Text dimColor>{label}</Text>
        </Text>
      ))}
    </Box>
  );
}
