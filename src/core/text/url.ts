// URLs as they may be quoted back to a person: never with their user name and password. A URL refused
// for carrying them (https://admin:s3cret@host) would otherwise be echoed in the refusal itself, on
// screen, in a terminal's scrollback and in CI logs.

/**
 * `scheme://user:pass@`, a scheme-relative `//user:pass@` (any number of slashes, after a space or at the
 * start), or a scheme-less `user:pass@host` at the start: the part never quoted.
 */
const USERINFO =
  /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@|(?<!\S)(\/+)[^\s/?#@]*@|^[^\s/?#@:]+(?::[^\s/?#@]*)?@(?=[^\s/?#@])/gi;

/**
 * True when the text starts like a URL whose authority holds a user name or password: with a scheme
 * (`https://`, or `https:` without the slashes), scheme-relative (`//`) or neither.
 */
export function hasUserinfo(text: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:)?\/*[^\s/?#@]*@/i.test(text.trim());
}

/** The text with every URL's user name and password left out: `https://admin:pw@host/x` → `https://host/x`. */
export function withoutUserinfo(text: string): string {
  return text.replace(
    USERINFO,
    (_whole, scheme: string | undefined, slashes: string | undefined) => scheme ?? slashes ?? '',
  );
}
