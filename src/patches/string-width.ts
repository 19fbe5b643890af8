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
import { eastAsianWidth } from 'get-east-asian-width';
import original, { type Options } from 'string-width';

/**
 * Text whose every code point string-width measures as a grapheme of its own, by its East Asian Width
 * alone. Control characters (ESC of ANSI codes included), combining marks, soft hyphen, zero-width
 * characters and everything past U+28FF are not in it.
 */
export const SIMPLE_TEXT =
  /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u23FF\u2500-\u27BF\u2800-\u28FF]*$/;

export default function stringWidth(text: string, options: Options = {}): number {
  if (typeof text !== 'string' || !SIMPLE_TEXT.test(text)) return original(text, options);
  const eastAsianWidthOptions = { ambiguousAsWide: !(options.ambiguousIsNarrow ?? true) };
  let width = 0;
  for (const character of text) width += eastAsianWidth(character.codePointAt(0)!, eastAsianWidthOptions);
  return width;
}
