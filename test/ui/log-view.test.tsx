// The live view's log lines go through the one sanitiser: Ink strips cursor moves and screen clears
// itself but passes OSC sequences on (window title, OSC 52 clipboard, OSC 8 hyperlinks), so a line
// from the agent could otherwise set the terminal's title or clipboard while it is on screen.
import { describe, expect, it } from 'vitest';
import { parseAgentLine } from '../../src/core/agent';
import { LogView } from '../../src/ui/components/LogView';
import { render } from '../helpers/ink';

const ESC = '\u001b';
const HOSTILE = `${ESC}]0;pwned-title\u0007${ESC}]52;c;cm0gLXJmIH4=\u0007${ESC}]8;;https://evil.example.com/${ESC}\\click-me${ESC}]8;;${ESC}\\\u202eevil`;

describe('LogView', () => {
  it('draws the text of a hostile line, never its sequences', () => {
    const line = parseAgentLine(
      JSON.stringify({
        t: '2026-01-01T00:00:00+0000',
        lvl: 'info',
        msg: `hello ${HOSTILE}`,
        obj: 'tunnels',
        note: HOSTILE,
      }),
    );
    const app = render(<LogView lines={[line]} height={3} empty="" />);
    try {
      const frame = app.lastFrame();
      expect(frame).toContain('hello');
      expect(frame).toContain('click-me');
      expect(frame).not.toContain(`${ESC}]`);
      expect(frame).not.toContain('\u202e');
      for (const payload of ['pwned-title', 'cm0gLXJmIH4=', 'evil.example.com']) expect(frame).not.toContain(payload);
    } finally {
      app.unmount();
    }
  });
});
