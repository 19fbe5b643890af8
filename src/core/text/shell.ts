// The one quoting of command lines we print for a person to paste (the agent command, python's, the
// manual path's mkdir, the systemd unit's ExecStart, "run it yourself" hints): every argument is one
// word to a POSIX shell, whatever it holds (spaces, `;`, `$( )`, backquotes, quotes, `~`, newlines).
//
// It is CPython's shlex.quote (https://github.com/python/cpython/blob/main/Lib/shlex.py, `quote`):
// a word made only of characters no shell treats specially stays as it is; any other word is put in
// single quotes, inside which a shell expands nothing, and each `'` in it becomes `'"'"'`. One rule,
// no special cases, decades in Python's standard library. The npm package shell-quote was the other
// candidate; its quote() picks between single quotes, double quotes with backslashes, and bare
// backslash escapes per word, a choice that has needed security fixes (CVE-2021-42740), and its
// backslash forms read differently outside sh (systemd's ExecStart): five lines of the simpler rule
// are easier to trust than a dependency.

/** shlex's `_find_unsafe`: anything but ASCII letters, digits and `_@%+=:,./-` needs quotes. */
const SAFE = /^[\w@%+=:,./-]+$/;

/** One argument, as a shell must be given it. */
export function shellQuote(word: string): string {
  if (!word) return "''";
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** A command line: each word quoted, separated by spaces. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
