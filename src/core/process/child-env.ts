// The environment of every child we start, built from an allow-list: what any program needs to run
// on this machine, plus what that child reads itself. Our API keys (FUSIONAUTH_API_KEY, NGROK_API_KEY)
// are never passed on, whatever the list says: python's http.server and the ngrok agent need neither,
// and a child's environment is readable by anything that can read /proc/<pid>/environ or crash dumps.
// Anything else the user exported (another tool's token, a cloud credential) stays with us too.

/** What a child reads from its environment, besides what every program needs. */
export type ChildNeeds = 'agent' | 'python' | 'plain';

/**
 * Every program: the search path, home, user, locale, terminal, temporary folder and time zone; on
 * Windows the variables without which a process cannot find its system folders or its profile.
 */
const EVERY_PROGRAM = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'COLORTERM',
  'NO_COLOR',
  'TMPDIR',
  'TMP',
  'TEMP',
  'TZ',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'XDG_RUNTIME_DIR',
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'PROGRAMDATA',
  'PROGRAMFILES',
]);
const EVERY_PROGRAM_PREFIXES = ['LC_'];

const NEEDS: Record<ChildNeeds, { names: readonly string[]; prefixes: readonly string[] }> = {
  // ngrok reads NGROK_AUTHTOKEN and NGROK_CONFIG (its CLI reference, https://ngrok.com/docs/agent/cli/),
  // and the sandbox's stand-in its NGROK_SANDBOX_* settings. It is a Go program: Go's net/http takes a
  // proxy from HTTPS_PROXY/NO_PROXY (https://pkg.go.dev/net/http#ProxyFromEnvironment) and crypto/x509
  // extra roots from SSL_CERT_FILE/SSL_CERT_DIR (https://pkg.go.dev/crypto/x509#SystemCertPool).
  agent: {
    names: ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR'],
    prefixes: ['NGROK_'],
  },
  // python3 may be a pyenv shim or a virtualenv's; PYTHON* are the interpreter's own settings
  // (https://docs.python.org/3/using/cmdline.html#environment-variables).
  python: { names: ['VIRTUAL_ENV', 'PYENV_VERSION', 'PYENV_ROOT'], prefixes: ['PYTHON'] },
  plain: { names: [], prefixes: [] },
};

/** Never passed on, even where a prefix would let them through (NGROK_API_KEY starts with NGROK_). */
export const PRIVATE_ENV: readonly string[] = ['FUSIONAUTH_API_KEY', 'NGROK_API_KEY'];

/**
 * The environment for a child that `needs` what it says, taken from `from` (our own by default).
 * Names are compared upper-cased: Windows spells Path, SystemRoot and the like as it pleases.
 */
export function childEnv(needs: ChildNeeds, from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { names, prefixes } = NEEDS[needs];
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    const upper = name.toUpperCase();
    if (PRIVATE_ENV.includes(upper)) continue;
    const allowed =
      EVERY_PROGRAM.has(upper) ||
      EVERY_PROGRAM_PREFIXES.some((p) => upper.startsWith(p)) ||
      names.includes(upper) ||
      prefixes.some((p) => upper.startsWith(p));
    if (allowed) env[name] = value;
  }
  return env;
}
