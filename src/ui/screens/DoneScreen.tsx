import { Box, Text, useInput } from 'ink';
import type { Values } from '../../core/store';
import { sanitizeLine } from '../../core/text';
import { STEPS } from '../../steps/index';
import { whatToRunNext } from '../../steps/next-commands';
import type { StepContext } from '../../steps/types';
import { KeyHints } from '../components/KeyHints';
import { Summary } from '../components/Summary';

/** The end: everything the guide would have had in a text file, secrets masked, then what to run next. */
export function DoneScreen({
  values,
  ctx,
  onExit,
}: {
  values: Values;
  ctx: Pick<StepContext, 'reach' | 'sandboxLogin'>;
  onExit(): void;
}) {
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
      <Box flexDirection="column" marginTop={1}>
        <Text bold>What to run next</Text>
        {whatToRunNext(values, ctx).map((line) => (
          <Text key={line.label}>
            <Text dimColor>{line.label}: </Text>
            {sanitizeLine(line.value)}
          </Text>
        ))}
      </Box>
      <KeyHints hints={[['enter', 'exit']]} />
    </Box>
  );
}
