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
  /** Columns it may take: a longer value scrolls sideways around the cursor instead of wrapping. */
  width?: number;
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

/**
 * The cursor in reverse video, written as SGR 7/27 itself rather than through chalk: NO_COLOR makes
 * the CLI set FORCE_COLOR=0 (src/cli.ts), which turns chalk off altogether, `inverse` included, and
 * the cursor would vanish. NO_COLOR asks for no colour (https://no-color.org), and reverse video is not
 * one; Ink passes SGR sequences in text through as they are.
 */
export const CURSOR_ON = '\u001b[7m';
export const CURSOR_OFF = '\u001b[27m';
const cursorCell = (char: string) => CURSOR_ON + char + CURSOR_OFF;

/** The part of a line that fits `width` columns and keeps the cursor in sight, `…` where it is cut. */
export function visibleWindow(text: string, cursor: number, width: number): { text: string; cursor: number } {
  const chars = [...text];
  // The cursor may sit after the last character: it needs a cell of its own.
  if (chars.length + 1 <= width || width < 4) return { text, cursor };
  let start = Math.max(0, cursor - width + 2);
  const end = Math.min(chars.length, start + width - (start > 0 ? 2 : 1));
  if (end === chars.length) start = Math.max(0, Math.min(start, chars.length - width + 2));
  const head = start > 0 ? '…' : '';
  const body = chars.slice(start + (head ? 1 : 0), end);
  const tail = end < chars.length ? '…' : '';
  const shown = head + body.join('') + tail;
  return { text: shown, cursor: cursor - start };
}

export function TextInput({ value, onChange, onSubmit, mask, placeholder, focus = true, width = 0 }: Props) {
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
  const full = mask ? mask.repeat([...text].length) : text;
  if (!text && placeholder) {
    return focus ? (
      <Text wrap="truncate-end">
        {cursorCell(placeholder[0]!)}
        <Text dimColor>{placeholder.slice(1)}</Text>
      </Text>
    ) : (
      <Text dimColor wrap="truncate-end">
        {placeholder}
      </Text>
    );
  }
  const shown = width ? visibleWindow(full, cursor, width) : { text: full, cursor };
  if (!focus) return <Text wrap="truncate-end">{shown.text}</Text>;
  const chars = [...shown.text];
  return (
    <Text>
      {chars.slice(0, shown.cursor).join('')}
      {cursorCell(chars[shown.cursor] ?? ' ')}
      {chars.slice(shown.cursor + 1).join('')}
    </Text>
  );
}
