import { Box, Text, useInput } from 'ink';
import type { Values } from '../../core/store';
import { STEPS } from '../../steps/index';
import { KeyHints } from '../components/KeyHints';
import { Summary } from '../components/Summary';

/** The end: everything the guide would have had in a text file, secrets masked. */
export function DoneScreen({ values, onExit }: { values: Values; onExit(): void }) {
  useInput((_text, key) => key.return && onExit());
  // Two sections may show the same stored value (ngrok's redirect URI, then FusionAuth accepting it): once is enough.
  const rows = STEPS.flatMap((s) => s.summary(values)).filter(
    (r, i, all) => !r.of || all.findIndex((o) => o.of === r.of) === i,
  );
  return (
    <Box flexDirection="column">
      <Text bold color="green">
        Your site is set up behind ngrok and FusionAuth.
      </Text>
      <Summary rows={rows} />
      <Text dimColor>Everything is kept in the store: `ngrok-fusionauth status` shows it again.</Text>
      <KeyHints hints={[['enter', 'exit']]} />
    </Box>
  );
}
