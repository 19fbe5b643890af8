// How the wizard fits a terminal: pure arithmetic on the window size, tested without Ink.

/** Columns at which the guide's sections fit down the side and leave the screen room for its text. */
export const SIDE_LIST_MIN_COLUMNS = 96;
/** The side list's width, its right margin included (the longest title is 33 columns with its mark). */
export const SIDE_LIST_WIDTH = 38;
/** At most this many rows of key hints; the rest are one `?` away. */
export const HINT_ROWS = 2;

export interface Layout {
  /** The sections down the side (wide) or one line "3/7 Set Up FusionAuth" (narrow). */
  sideList: boolean;
  /** The frame's height: one row under the terminal's, so that Ink never draws a frame that fills
   *  the screen (it then clears and reprints the whole frame, into the scrollback, on every change)
   *  and the shell's next line (a message after `q`) starts on a line of its own. */
  height: number;
  /** Columns for a screen's text, the frame's padding and the side list taken off. */
  contentWidth: number;
}

export function layoutFor(columns: number, rows: number, withSections: boolean): Layout {
  const sideList = withSections && columns >= SIDE_LIST_MIN_COLUMNS;
  const height = Math.max(1, rows - 1);
  const contentWidth = Math.max(10, columns - 2 - (sideList ? SIDE_LIST_WIDTH : 0));
  return { sideList, height, contentWidth };
}

/** Characters as the terminal counts them, for the text we truncate (paths, URLs, masked keys). */
const width = (text: string) => [...text].length;

/**
 * `text` in at most `max` columns, cut in the middle with `…` so that both ends stay (a path's folder
 * and file, a URL's host and port): `/home/me/…/apptoprotect`. Never wrapped into what follows.
 */
export function truncateMiddle(text: string, max: number): string {
  const chars = [...text];
  if (width(text) <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return chars.slice(0, head).join('') + '…' + (tail ? chars.slice(chars.length - tail).join('') : '');
}

/** The largest QR code (half blocks: two modules a row) a body of `rows`×`columns` shows whole. */
export function qrFits(qr: readonly string[], rows: number, columns: number): boolean {
  const qrWidth = Math.max(0, ...qr.map(width));
  return qr.length <= rows && qrWidth <= columns;
}
