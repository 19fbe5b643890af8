// The keys of a choice list, as keymap rows: ↑/↓ move (wrapping), a digit selects, Enter chooses.
import type { KeyBinding } from '../keymap';

export function choiceKeys(
  count: number,
  selected: number,
  select: (index: number) => void,
  choose: (index: number) => void,
  chooseLabel = 'choose',
): KeyBinding[] {
  const digits = Array.from({ length: Math.min(count, 9) }, (_, i) => String(i + 1));
  return [
    { key: 'enter', label: chooseLabel, run: () => choose(selected) },
    {
      key: ['up', 'down'],
      label: 'move',
      shown: '↑↓',
      run: (key) => select((selected + (key === 'up' ? count - 1 : 1)) % count),
    },
    {
      key: digits,
      label: 'select by number',
      shown: `1-${digits.length}`,
      minor: true,
      when: count > 1,
      run: (key) => select(Number(key) - 1),
    },
  ];
}
