import { Box, Text } from 'ink';

/** The top line of a full screen: what runs, what it is for, and whether it runs on the sandbox. */
export function Header({ title, purpose, sandbox }: { title: string; purpose: string; sandbox?: boolean }) {
  return (
    <Box marginBottom={1}>
      <Text bold>{title}</Text>
      <Text dimColor>
        {' '}
        · {purpose}
        {sandbox ? ' · sandbox' : ''}
      </Text>
    </Box>
  );
}
