// string-width as the bundle has it: scripts/build-plugins.mjs aliases every `string-width` import
// of the bundle (Ink and its helpers) to this file, and this file's own import to the original.
// Under vitest and tsc there is no alias, so the import below is the original package and
// test/build/string-width.test.ts compares the two directly.
//
// Why: the original sends any text that is not plain ASCII through Intl.Segmenter and an emoji
// pattern (`\p{RGI_Emoji}`) that V8 takes ~12 ms to compile, on the first frame, for a `·` or a `✔`.
// Latin letters, punctuation, arrows, box drawing, shapes, dingbats and braille (the spinner) are one
// grapheme per code point with their East Asian Width as width, which is what the original computes
// for them the long way. Anything else goes to the original.
// Coloured text takes the fast path too: Ink measures a nested <Text color=…> with its colour codes in
// it (the wizard's section list is `\u001B[36m❯\u001B[39m 1. Before You Start`), and the original
// strips every escape sequence (strip-ansi) before measuring. The fast path strips the one kind of
// sequence chalk writes, SGR (`ESC [ digits;… m`), which ansi-regex 6 matches as exactly that CSI
// (node_modules/ansi-regex/index.js, `csi`); any other sequence leaves an ESC or a C1 control behind,
// neither of which SIMPLE_TEXT takes, so that text goes to the original.
import { eastAsianWidth } from 'get-east-asian-width';
import original, { type Options } from 'string-width';

/**
 * Text whose every code point string-width measures as a grapheme of its own, by its East Asian Width
 * alone. Control characters (ESC of ANSI codes included), combining marks, soft hyphen, zero-width
 * characters and everything past U+28FF are not in it.
 */
export const SIMPLE_TEXT =
  /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u23FF\u2500-\u27BF\u2800-\u28FF]*$/;

/** A Select Graphic Rendition sequence (colour, bold, dim, reset): what chalk writes around text. */
const SGR = /\u001B\[[0-9;]*m/g;

export default function stringWidth(text: string, options: Options = {}): number {
  if (typeof text !== 'string') return original(text, options);
  // Counting escape codes is the original's to do; without it, they measure as nothing.
  const visible = options.countAnsiEscapeCodes || !text.includes('\u001B') ? text : text.replace(SGR, '');
  if (!SIMPLE_TEXT.test(visible)) return original(text, options);
  const eastAsianWidthOptions = { ambiguousAsWide: !(options.ambiguousIsNarrow ?? true) };
  let width = 0;
  for (const character of visible) width += eastAsianWidth(character.codePointAt(0)!, eastAsianWidthOptions);
  return width;
}
