import { Box, Text } from 'ink';
import { ChoiceList } from '../components/ChoiceList';
import { KeyHints } from '../components/KeyHints';

export type ResumeChoice = 'resume' | 'restart' | 'review';

/**
 * Opening a setup begun before: pick up where it stopped (a finished one: check that it still holds),
 * start over, or walk every section again.
 */
export function ResumeScreen({
  nextTitle,
  finished,
  configPath,
  onChoose,
}: {
  nextTitle: string;
  finished: boolean;
  configPath: string;
  onChoose(choice: ResumeChoice): void;
}) {
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">
        Welcome back
      </Text>
      <Text dimColor>
        {finished ? `The setup in ${configPath} is finished.` : `A setup is in progress in ${configPath}.`}
      </Text>
      <Box marginTop={1}>
        <ChoiceList
          label="What now"
          choices={[
            finished
              ? {
                  value: 'resume',
                  label: 'Check that it still holds',
                  hint: 'every step is checked again, then the summary',
                }
              : { value: 'resume', label: `Resume at ${nextTitle}`, hint: 'finished steps are checked again first' },
            { value: 'restart', label: 'Start over', hint: 'forget the progress; your values stay as defaults' },
            { value: 'review', label: 'Review', hint: 'walk every section from the start' },
          ]}
          initial="resume"
          onSubmit={(v) => onChoose(v as ResumeChoice)}
        />
      </Box>
      <KeyHints
        hints={[
          ['↑↓', 'move'],
          ['enter', 'choose'],
          ['ctrl+c', 'quit'],
        ]}
      />
    </Box>
  );
}
