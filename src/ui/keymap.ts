// One keymap per screen, as data: `[{ key, label, when, run }]`. The same table wires the keyboard
// (useKeymap) and draws the hints (KeyHints), so a hint can never name a key that does nothing, and no
// key works unlisted. Wrangler does the same for `wrangler dev`'s hotkeys: one options table is both
// the key handler and the printed instructions (cloudflare/workers-sdk,
// packages/wrangler/src/cli-hotkeys.ts). This module is pure (no React, no Ink) so the tables and the
// dispatch are tested without a terminal.

/** What Ink's useInput reports for a key press (the fields we read). */
export interface KeyPress {
  return?: boolean;
  escape?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * A named key, or a printable character (`q`, `?`, `/`, `y`). `text` stands for any printable text
 * no other binding takes (the characters typed into a filter); it is never shown as a hint.
 */
export type KeyName =
  'enter' | 'esc' | 'up' | 'down' | 'pgup' | 'pgdn' | 'space' | 'backspace' | 'text' | (string & {});

export interface KeyBinding {
  /** The key (or keys) that run it; the first is the one shown. */
  key: KeyName | readonly KeyName[];
  /** What it does, in the hint line and in the `?` list. */
  label: string;
  /** How the key is written in the hint when that differs from the key (`↑↓` for up and down). */
  shown?: string;
  /** Off when false: neither handled nor shown. */
  when?: boolean;
  /** Handled and listed under `?`, but not in the hint line (the hint line has two rows at most). */
  minor?: boolean;
  /** `key` is the key pressed (of `key`'s list); `input` what it typed. */
  run(key: KeyName, input: string): void;
}

export type Keymap = readonly KeyBinding[];

/** The name of a key press, as the tables write it; undefined for what no table binds (ctrl+x). */
export function keyName(input: string, key: KeyPress): KeyName | undefined {
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.tab) return 'tab';
  // Terminals send DEL (0x7f) for the Backspace key; Ink names it backspace, and Delete is ESC[3~.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl || key.meta) return undefined;
  if (input === ' ') return 'space';
  return input.length === 1 ? input : undefined;
}

const keysOf = (binding: KeyBinding): readonly KeyName[] =>
  typeof binding.key === 'string' ? [binding.key] : (binding.key as readonly KeyName[]);

/** The bindings in force: `when` not false. */
export const active = (keymap: Keymap): KeyBinding[] => keymap.filter((b) => b.when !== false);

/** Shown as hints: active, and not the catch-all `text`. */
const listed = (keymap: Keymap) => active(keymap).filter((b) => !keysOf(b).includes('text'));

/** The binding a key press runs: the first active one that lists it. */
export function bindingFor(keymap: Keymap, name: KeyName | undefined): KeyBinding | undefined {
  if (!name) return undefined;
  return active(keymap).find((b) => keysOf(b).includes(name));
}

/** Printable text (a key or a paste) with no named key: what a `text` binding takes. */
const printable = (input: string, key: KeyPress) =>
  Boolean(input) &&
  !key.ctrl &&
  !key.meta &&
  !key.return &&
  !key.escape &&
  !key.tab &&
  !key.backspace &&
  !key.delete &&
  !/[\u0000-\u001f\u007f]/.test(input);

/** Runs the binding of a key press; true when one ran. */
export function dispatch(keymap: Keymap, input: string, key: KeyPress): boolean {
  const name = keyName(input, key);
  const binding = bindingFor(keymap, name);
  if (binding && name) {
    binding.run(name, input);
    return true;
  }
  const text = printable(input, key) ? bindingFor(keymap, 'text') : undefined;
  if (!text) return false;
  text.run('text', input);
  return true;
}

const SYMBOL: Record<string, string> = { up: '↑', down: '↓', pgup: 'PgUp', pgdn: 'PgDn', space: 'space' };

/** How a binding's key is written in a hint: `enter`, `esc`, `↑↓`, `PgUp/PgDn`, `q`. */
export function keyLabel(binding: KeyBinding): string {
  if (binding.shown) return binding.shown;
  const names = keysOf(binding).map((k) => SYMBOL[k] ?? k);
  return names.join(names.every((n) => n.length === 1) ? '' : '/');
}

/** A hint as drawn: the key and what it does. */
export interface Hint {
  key: string;
  label: string;
}

/** The hints of the bindings in force; `all` adds the minor ones (the `?` list). */
export function hintsOf(keymap: Keymap, all = false): Hint[] {
  return listed(keymap)
    .filter((b) => all || !b.minor)
    .map((b) => ({ key: keyLabel(b), label: b.label }));
}

/** Two keymaps as one: the first table's bindings win a key both list (a screen over its shell). */
export const combine = (...keymaps: Keymap[]): KeyBinding[] => keymaps.flat();

/**
 * The hints that fit in `rows` lines of `width` columns, two spaces apart, in table order; when some
 * do not fit, the last place goes to `? all keys` (which must be in the table to be drawn at all).
 */
export function fitHints(hints: readonly Hint[], width: number, rows: number): { lines: Hint[][]; cut: boolean } {
  const size = (h: Hint) => h.key.length + 1 + h.label.length;
  const layout = (list: readonly Hint[]) => {
    const lines: Hint[][] = [];
    let used = 0;
    for (const hint of list) {
      const w = size(hint);
      const line = lines.at(-1);
      if (line && used + 2 + w <= width) {
        line.push(hint);
        used += 2 + w;
      } else {
        lines.push([hint]);
        used = w;
      }
    }
    return lines;
  };
  const full = layout(hints);
  if (full.length <= rows) return { lines: full, cut: false };
  const more = hints.find((h) => h.key === '?');
  const rest = hints.filter((h) => h !== more);
  for (let n = rest.length - 1; n >= 0; n--) {
    const lines = layout(more ? [...rest.slice(0, n), more] : rest.slice(0, n));
    if (lines.length <= rows) return { lines, cut: true };
  }
  return { lines: [], cut: true };
}
