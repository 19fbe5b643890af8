// The one sanitiser for text that came from outside (a server's message, the agent's lines, a value
// read back from the settings file) before it is printed, drawn or logged: a terminal must get text,
// never instructions. What it takes out:
//  - escape sequences: CSI (screen clear, cursor moves), OSC (window title, OSC 52 clipboard writes,
//    OSC 8 hyperlinks), DCS/APC/PM/SOS strings, and their 8-bit C1 forms;
//  - the other C0 controls (NUL, BEL, backspace, CR that overwrites a line, …) and DEL, and the C1
//    controls U+0080–U+009F, which some terminals act on as 8-bit escapes (U+009B is CSI);
//  - Unicode bidi controls, which make a terminal show text in another order than it is written
//    ("Trojan Source", CVE-2021-42574: https://trojansource.codes/);
//  - lone surrogates (invalid UTF-16, written out as invalid UTF-8), replaced by U+FFFD.
// Escape sequences go through strip-ansi (ansi-regex), the library Ink and most of npm rely on, which
// matches whole sequences (an OSC 52 payload, a DCS string) so that their payloads vanish with them;
// Node's util.stripVTControlCharacters is narrower (it leaves a DCS payload behind, and an OSC whose
// payload holds characters outside its class). Neither removes C0, C1 or bidi controls that are not
// part of a sequence: that is the character class below. Tab and newline are kept (they are layout);
// sanitizeLine() turns them into spaces for text that must stay on one line.
import stripAnsi from 'strip-ansi';

/** C0 controls but tab and newline, DEL, C1 controls, and the bidi marks, embeddings, overrides and isolates. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** A high surrogate without its low half, or a low one without its high half (String#toWellFormed, ES2024). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Anything sanitize() would change (lone surrogates aside): most texts have nothing of it. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The text with every escape sequence and control character taken out (tab and newline kept). */
export function sanitize(text: string): string {
  const clean = UNSAFE.test(text) ? stripAnsi(text).replace(CONTROLS, '') : text;
  return clean.replace(LONE_SURROGATE, '\ufffd');
}

/** sanitize(), and tabs and line breaks made spaces: for a value shown inside one line. */
export function sanitizeLine(text: string): string {
  return sanitize(text).replace(/[\t\n]/g, ' ');
}

/** Every string in a value (objects and arrays walked) sanitised: for data shown to a person as JSON. */
export function sanitizeDeep<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? sanitize(v) : v))) as T;
}

/** Characters JSON.stringify leaves raw that a terminal would act on: written as \u escapes instead. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for a terminal: the same data, but no character a terminal acts on is written raw (JSON.stringify
 * escapes C0 controls itself, and lone surrogates since ES2019; C1 and bidi controls are escaped here).
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    RAW_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
