import { Box, Text } from 'ink';

export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

/** One of a list, the selected one marked. A view only: its keys (↑↓, 1–9, Enter) are in the screen's keymap (choiceKeys). */
export function ChoiceList({
  label,
  choices,
  selected,
}: {
  label: string;
  choices: readonly Choice[];
  selected: number;
}) {
  return (
    <Box flexDirection="column">
      <Text bold>{label}:</Text>
      {choices.map((choice, i) => (
        <Text key={choice.value} wrap="truncate-end">
          <Text color={i === selected ? 'cyan' : undefined}>
            {i === selected ? '❯' : ' '} {choice.label}
          </Text>
          {choice.hint ? <Text dimColor> — {choice.hint}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
