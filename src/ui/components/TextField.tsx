import { Box, Text } from 'ink';
import { TextInput } from './TextInput';
import type { Validation } from '../../core/validate';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  onSubmit(value: string): void;
  validate(text: string): Validation<unknown>;
  secret?: boolean;
  placeholder?: string;
  help?: string;
  focus?: boolean;
}

/** A labelled input validated as the user types; a secret is masked. Enter submits only a valid value. */
export function TextField({
  label,
  value,
  onChange,
  onSubmit,
  validate,
  secret,
  placeholder,
  help,
  focus = true,
}: Props) {
  const result = validate(value);
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold>{label}: </Text>
        <TextInput
          value={value}
          onChange={onChange}
          onSubmit={(v) => validate(v).ok && onSubmit(v)}
          placeholder={placeholder}
          focus={focus}
          {...(secret ? { mask: '•' } : {})}
        />
      </Box>
      {help ? <Text dimColor> {help}</Text> : null}
      {value.trim() && !result.ok ? <Text color="red"> ✘ {result.message}</Text> : null}
      {value.trim() && result.ok ? <Text color="green"> ✔ looks right</Text> : null}
    </Box>
  );
}
