import { Text } from 'ink';
import { useState } from 'react';
import type { Values } from '../../core/store';
import { sanitizeLine } from '../../core/text';
import { STEPS } from '../../steps/index';
import { Screen } from '../components/Screen';
import { Summary, summaryTruncates } from '../components/Summary';
import { useContentWidth } from '../layout/shell-context';
import { useReveal } from '../reveal';
import { whatToRunNext } from '../../steps/next-commands';
import type { StepContext } from '../../steps/types';

/** The end: everything the guide would have had in a text file, secrets masked, then what to run next. */
export function DoneScreen({
  values,
  ctx,
  onExit,
  onBack,
}: {
  values: Values;
  ctx: Pick<StepContext, 'reach' | 'sandboxLogin'>;
  onExit(): void;
  onBack?(): void;
}) {
  const [reveal, toggleReveal] = useReveal();
  const [whole, setWhole] = useState(false);
  const width = useContentWidth();
  // Two sections may show the same stored value (ngrok's redirect URI, then FusionAuth accepting it): once is enough.
  const rows = STEPS.flatMap((s) => s.summary(values)).filter(
    (r, i, all) => !r.of || all.findIndex((o) => o.of === r.of) === i,
  );
  return (
    <Screen
      title="Done"
      body={
        <>
          <Text bold color="green">
            Your site is set up behind ngrok and FusionAuth.
          </Text>
          <Summary rows={rows} reveal={reveal} whole={whole} />
          <Text bold>What to run next</Text>
          {whatToRunNext(values, ctx).map((line) => (
            <Text key={line.label}>
              <Text dimColor>{line.label}: </Text>
              {sanitizeLine(line.value)}
            </Text>
          ))}
        </>
      }
      keys={[
        { key: 'enter', label: 'exit', run: onExit },
        {
          key: 'v',
          label: reveal ? 'hide secret' : 'reveal secret',
          when: rows.some((r) => r.secret),
          run: toggleReveal,
        },
        {
          key: 'w',
          label: whole ? 'cut long values' : 'whole values',
          when: whole || summaryTruncates(rows, width, reveal),
          run: () => setWhole((w) => !w),
        },
        { key: 'esc', label: 'back', when: Boolean(onBack), run: () => onBack?.() },
        { key: 'q', label: 'quit', run: onExit },
      ]}
    />
  );
}
