import { Text } from 'ink';
import { useState } from 'react';
import { ChoiceList } from '../components/ChoiceList';
import { choiceKeys } from '../components/choice-keys';
import { Screen } from '../components/Screen';

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
  onQuit,
}: {
  nextTitle: string;
  finished: boolean;
  configPath: string;
  onChoose(choice: ResumeChoice): void;
  onQuit(): void;
}) {
  const choices: { value: ResumeChoice; label: string; hint: string }[] = [
    finished
      ? { value: 'resume', label: 'Check that it still holds', hint: 'every step is checked again, then the summary' }
      : { value: 'resume', label: `Resume at ${nextTitle}`, hint: 'finished steps are checked again first' },
    { value: 'restart', label: 'Start over', hint: 'forget the progress; your values stay as defaults' },
    { value: 'review', label: 'Review', hint: 'walk every section from the start' },
  ];
  const [selected, setSelected] = useState(0);
  return (
    <Screen
      title="Welcome back"
      body={
        <Text dimColor>
          {finished ? `The setup in ${configPath} is finished.` : `A setup is in progress in ${configPath}.`}
        </Text>
      }
      action={<ChoiceList label="What now" choices={choices} selected={selected} />}
      keys={[
        ...choiceKeys(choices.length, selected, setSelected, (i) => onChoose(choices[i]!.value)),
        { key: 'q', label: 'quit', run: onQuit },
      ]}
    />
  );
}
