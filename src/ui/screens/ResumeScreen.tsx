import { Box, Text } from 'ink';
import { ChoiceList } from '../components/ChoiceList';
import { KeyHints } from '../components/KeyHints';

export type ResumeChoice = 'resume' | 'restart' | 'review';

/** Opening a half-finished setup: pick up where it stopped, start over, or walk every section again. */
export function ResumeScreen({ nextTitle, configPath, onChoose }: { nextTitle: string; configPath: string; onChoose(choice: ResumeChoice): void }) {
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">Welcome back</Text>
      <Text dimColor>A setup is in progress in {configPath}.</Text>
      <Box marginTop={1}>
        <ChoiceList
          label="What now"
          choices={[
            { value: 'resume', label: `Resume at ${nextTitle}`, hint: 'finished steps are checked again first' },
            { value: 'restart', label: 'Start over', hint: 'forget the progress; your values stay as defaults' },
            { value: 'review', label: 'Review', hint: 'walk every section from the start' },
          ]}
          initial="resume"
          onSubmit={(v) => onChoose(v as ResumeChoice)}
        />
      </Box>
      <KeyHints hints={[['↑↓', 'move'], ['enter', 'choose'], ['ctrl+c', 'quit']]} />
    </Box>
  );
}
