import { Box, Text } from 'ink';
import { TextInput } from './TextInput';
import type { Validation } from '../../core/validate';
import { useContentWidth } from '../layout/shell-context';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  validate(text: string): Validation<unknown>;
  secret?: boolean;
  placeholder?: string;
  help?: string;
  focus?: boolean;
  /** Enter was pressed on this value and it was refused: say why, even when it is empty. */
  refused?: boolean;
}

/**
 * A labelled one-line input validated as the user types; a secret is masked. The label never shrinks
 * and the value scrolls sideways within the line, so a long path never runs into the label. Enter is
 * the screen's key (its keymap), which submits only a valid value and otherwise sets `refused`.
 */
export function TextField({
  label,
  value,
  onChange,
  validate,
  secret,
  placeholder,
  help,
  focus = true,
  refused,
}: Props) {
  const width = useContentWidth();
  const result = validate(value);
  const inputWidth = Math.max(8, width - label.length - 2);
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0}>
          <Text bold>{label}: </Text>
        </Box>
        <TextInput
          value={value}
          onChange={onChange}
          placeholder={placeholder}
          focus={focus}
          width={inputWidth}
          {...(secret ? { mask: '•' } : {})}
        />
      </Box>
      {help ? <Text dimColor> {help}</Text> : null}
      {(value.trim() || refused) && !result.ok ? <Text color="red"> ✘ {result.message}</Text> : null}
      {value.trim() && result.ok ? <Text color="green"> ✔ looks right</Text> : null}
    </Box>
  );
}
