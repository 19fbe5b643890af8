import { Box, Text, useInput } from 'ink';
import { useState } from 'react';

interface Props {
  label: string;
  choices: ReadonlyArray<{ value: string; label: string; hint?: string }>;
  initial?: string;
  onSubmit(value: string): void;
  isActive?: boolean;
}

/** Pick one with ↑/↓ (or its number) and Enter. */
export function ChoiceList({ label, choices, initial, onSubmit, isActive = true }: Props) {
  const [index, setIndex] = useState(
    Math.max(
      0,
      choices.findIndex((c) => c.value === initial),
    ),
  );
  useInput(
    (input, key) => {
      if (key.upArrow) setIndex((i) => (i + choices.length - 1) % choices.length);
      else if (key.downArrow) setIndex((i) => (i + 1) % choices.length);
      else if (key.return) onSubmit(choices[index]!.value);
      else if (/^[1-9]$/.test(input) && Number(input) <= choices.length) setIndex(Number(input) - 1);
    },
    { isActive },
  );
  return (
    <Box flexDirection="column">
      <Text bold>{label}:</Text>
      {choices.map((choice, i) => (
        <Text key={choice.value}>
          <Text color={i === index ? 'cyan' : undefined}>
            {i === index ? '❯' : ' '} {choice.label}
          </Text>
          {choice.hint ? <Text dimColor> — {choice.hint}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
