// A one-line editor that keeps every key. ink-text-input 6 computes each edit from the value of the
// last render, so keys arriving faster than a render (key repeat, tmux send-keys, a slow machine) are
// lost — pinned in test/ui/ink-text-input-defect.test.tsx. Here the value lives in a ref that every
// key updates at once; React state only triggers the redraw.
import { Text, useInput } from 'ink';
import { useReducer, useRef } from 'react';

interface Props {
  value: string;
  onChange(value: string): void;
  onSubmit?(value: string): void;
  /** Shown instead of each character (secrets). */
  mask?: string;
  placeholder?: string;
  focus?: boolean;
}

interface Line {
  value: string;
  cursor: number;
}

/** Pure editing, so it can be reasoned about (and tested) without a terminal. */
export function edit(
  line: Line,
  input: string,
  key: {
    leftArrow?: boolean;
    rightArrow?: boolean;
    home?: boolean;
    end?: boolean;
    backspace?: boolean;
    delete?: boolean;
    ctrl?: boolean;
    meta?: boolean;
  },
): Line | undefined {
  const { value, cursor } = line;
  if (key.leftArrow) return { value, cursor: Math.max(0, cursor - 1) };
  if (key.rightArrow) return { value, cursor: Math.min(value.length, cursor + 1) };
  if (key.home || (key.ctrl && input === 'a')) return { value, cursor: 0 };
  if (key.end || (key.ctrl && input === 'e')) return { value, cursor: value.length };
  // Terminals send DEL (0x7f) for the Backspace key; Ink names it backspace, and Delete is ESC[3~.
  if (key.backspace)
    return cursor > 0 ? { value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1 } : line;
  if (key.delete)
    return cursor < value.length ? { value: value.slice(0, cursor) + value.slice(cursor + 1), cursor } : line;
  if (key.ctrl && input === 'u') return { value: value.slice(cursor), cursor: 0 };
  if (key.ctrl && input === 'k') return { value: value.slice(0, cursor), cursor };
  if (key.ctrl && input === 'w') {
    const start = value.slice(0, cursor).replace(/\S+\s*$/, '').length;
    return { value: value.slice(0, start) + value.slice(cursor), cursor: start };
  }
  if (key.ctrl || key.meta || !input) return undefined;
  // A paste may bring line breaks (a command copied with a trailing newline): one line here.
  const text = input.replace(/\r\n|\r|\n/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  if (!text) return undefined;
  return { value: value.slice(0, cursor) + text + value.slice(cursor), cursor: cursor + text.length };
}

export function TextInput({ value, onChange, onSubmit, mask, placeholder, focus = true }: Props) {
  const line = useRef<Line>({ value, cursor: value.length });
  const emitted = useRef(value);
  // A value set from outside (a reset, a default) replaces ours.
  if (value !== emitted.current) {
    line.current = { value, cursor: value.length };
    emitted.current = value;
  }
  const [, redraw] = useReducer((n: number) => n + 1, 0);

  useInput(
    (input, key) => {
      if (key.return) {
        onSubmit?.(line.current.value);
        return;
      }
      if (key.upArrow || key.downArrow || key.tab || key.escape || key.pageUp || key.pageDown) return;
      const next = edit(line.current, input, key);
      if (!next) return;
      const changed = next.value !== line.current.value;
      line.current = next;
      if (changed) {
        emitted.current = next.value;
        onChange(next.value);
      }
      redraw();
    },
    { isActive: focus },
  );

  const { value: text, cursor } = line.current;
  const shown = mask ? mask.repeat(text.length) : text;
  if (!text && placeholder) {
    return focus ? (
      <Text>
        <Text inverse>{placeholder[0]}</Text>
        <Text dimColor>{placeholder.slice(1)}</Text>
      </Text>
    ) : (
      <Text dimColor>{placeholder}</Text>
    );
  }
  if (!focus) return <Text>{shown}</Text>;
  return (
    <Text>
      {shown.slice(0, cursor)}
      <Text inverse>{shown[cursor] ?? ' '}</Text>
      {shown.slice(cursor + 1)}
    </Text>
  );
}
