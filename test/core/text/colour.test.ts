// The plain lines of status and verify get, on a terminal, the colours the wizard gives the same
// marks (ui/theme.ts), and nothing else changes in them.
import { stripVTControlCharacters, styleText } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkLine, findingLines, MARK_COLOUR, painter, stepLine } from '../../../src/core/text';
import { levelMark, statusMark } from '../../../src/ui/theme';

describe('colour', () => {
  it('gives every mark the colour the wizard gives it', () => {
    for (const { mark, color } of [...Object.values(statusMark), ...Object.values(levelMark)])
      if (MARK_COLOUR[mark]) expect(MARK_COLOUR[mark], mark).toBe(color);
  });

  it('paints the mark of a line, dims its fix, and leaves the text as plain.ts wrote it', () => {
    const on = painter(true);
    const step = stepLine(2, { title: 'Set Up The Application', status: 'done' });
    expect(on.line(step)).toBe(
      `  ${styleText('green', '✔', { validateStream: false })} 2. Set Up The Application — done`,
    );
    const check = checkLine({
      title: 'Login',
      status: 'fail',
      message: 'no redirect',
      fix: 'start the tunnel',
    } as never);
    expect(stripVTControlCharacters(on.line(check))).toBe(check);
    expect(on.line(check)).toContain(styleText('red', '✘', { validateStream: false }));
    expect(on.line(findingLines({ level: 'warn', title: 'w', fix: 'f' }))).toContain(
      styleText('dim', '  → f', { validateStream: false }),
    );
    expect(painter(false).line(check)).toBe(check);
  });
});
