// Copying the URL with OSC 52: the terminal itself puts the text on the clipboard of the machine the
// person sits at, which is right when the wizard runs over SSH (a clipboard library would fill the
// remote server's clipboard, or fail without a display) and needs no xsel/wl-copy. Most terminals
// support it (iTerm2, kitty, WezTerm, Alacritty, Windows Terminal, foot; tmux with set-clipboard);
// the ones that do not ignore it silently, so the screen also shows the URL to select by hand.

/** The escape sequence that asks the terminal to copy `text`; wrapped for tmux when inside it. */
export function osc52(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const sequence = `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
  // tmux passes a sequence through to the outer terminal only inside a DCS, with ESC doubled.
  if (env.TMUX) return `\u001bPtmux;${sequence.replace(/\u001b/g, '\u001b\u001b')}\u001b\\`;
  return sequence;
}
