// Colour for the plain lines of `status` and `verify` on a terminal: the mark at the head of a line
// gets the colour the wizard gives it (ui/theme.ts; test/core/text/colour.test.ts holds the two
// together), a heading is bold, and labels are dim. The lines themselves are plain.ts's, unchanged:
// colour is added only when the stream is a terminal that wants it, so a pipe, a file, NO_COLOR
// (https://no-color.org), FORCE_COLOR=0 or TERM=dumb get exactly the lines scripts read.
import { styleText } from 'node:util';
import { CHECK_MARK, FINDING_MARK, STEP_MARK } from './plain';

type Colour = 'green' | 'red' | 'yellow' | 'blue' | 'gray' | 'cyan';

/** The colour of each mark, as on screen (ui/theme.ts: statusMark and levelMark). */
export const MARK_COLOUR: Record<string, Colour> = {
  [STEP_MARK.done]: 'green',
  [STEP_MARK.failed]: 'red',
  [STEP_MARK.pending]: 'gray',
  [STEP_MARK.skipped]: 'gray',
  [FINDING_MARK.info]: 'blue',
  [FINDING_MARK.warn]: 'yellow',
  [CHECK_MARK.pass]: 'green',
};

/**
 * Whether `stream` takes colour: a terminal whose environment allows it. tty.WriteStream.hasColors()
 * reads NO_COLOR, NODE_DISABLE_COLORS, FORCE_COLOR and TERM (https://nodejs.org/api/tty.html,
 * writeStream.getColorDepth); src/cli.ts also turns NO_COLOR into FORCE_COLOR=0.
 */
export function wantsColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY && stream.hasColors?.());
}

/** The painter of one run's lines: the identity when the stream takes no colour. */
export function painter(on: boolean): {
  line(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
} {
  // validateStream: false, because the decision is wantsColour's (older Node 22 takes no options and always paints).
  const paint = (format: Parameters<typeof styleText>[0], text: string) =>
    on ? styleText(format, text, { validateStream: false }) : text;
  return {
    /** The first mark of the line (after its indent) in its colour; the `→ fix` under it dim. */
    line: (text) =>
      text
        .split('\n')
        .map((l) => {
          const m = /^(\s*)(\S)( .*)?$/su.exec(l);
          if (!m) return l;
          if (m[2] === '→') return paint('dim', l);
          const colour = MARK_COLOUR[m[2]!];
          return colour ? `${m[1]}${paint(colour, m[2]!)}${m[3] ?? ''}` : l;
        })
        .join('\n'),
    bold: (text) => paint('bold', text),
    dim: (text) => paint('dim', text),
    green: (text) => paint('green', text),
    red: (text) => paint('red', text),
  };
}
