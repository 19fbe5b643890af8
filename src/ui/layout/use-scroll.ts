// A region that scrolls by keys: ↑/↓ a line, PgUp/PgDn a page. Ink 8 clips a box with
// `overflow="hidden"` and shifts its children by `contentOffsetY` (ink/build/styles.d.ts: "Combine
// with overflow=hidden to build scrollable views"); useBoxMetrics measures the viewport and the
// content, so the offset is clamped to what there is to see.
import { useBoxMetrics, type DOMElement } from 'ink';
import { useRef, useState, type RefObject } from 'react';
import type { KeyBinding } from '../keymap';

export interface Scroll {
  viewport: RefObject<DOMElement | null>;
  content: RefObject<DOMElement | null>;
  offset: number;
  /** Lines above and below what is shown. */
  above: number;
  below: number;
  viewportRows: number;
  viewportColumns: number;
  keys: KeyBinding[];
}

/** Pure: the offset after a key, kept within [0, max]. */
export function scrolled(offset: number, key: string, page: number, max: number): number {
  const step = key === 'up' ? -1 : key === 'down' ? 1 : key === 'pgup' ? -page : key === 'pgdn' ? page : 0;
  return Math.min(Math.max(0, offset + step), Math.max(0, max));
}

/** `arrowsTaken`: a choice list on screen owns ↑/↓; the region still pages with PgUp/PgDn. */
export function useScroll(arrowsTaken: boolean): Scroll {
  const viewport = useRef<DOMElement | null>(null);
  const content = useRef<DOMElement | null>(null);
  const view = useBoxMetrics(viewport);
  const inner = useBoxMetrics(content);
  const [wanted, setOffset] = useState(0);
  const max = Math.max(0, inner.height - view.height);
  const offset = Math.min(wanted, max);
  const page = Math.max(1, view.height - 1);
  const move = (key: string) => setOffset((o) => scrolled(Math.min(o, max), key, page, max));
  const overflows = max > 0;
  return {
    viewport,
    content,
    offset,
    above: offset,
    below: max - offset,
    viewportRows: view.height,
    viewportColumns: view.width,
    keys: [
      { key: ['up', 'down'], label: 'scroll', shown: '↑↓', when: overflows && !arrowsTaken, run: move },
      { key: ['pgup', 'pgdn'], label: 'page', shown: 'PgUp/PgDn', when: overflows, minor: !arrowsTaken, run: move },
    ],
  };
}
