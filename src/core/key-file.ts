// Where an API key comes from, the same for FusionAuth and ngrok: the key file flag, then the env
// variable, then a key typed into the wizard. One reader of key files, so a bad file gets the same
// clear sentence whichever service it is for.
import { UserError } from './errors';
import { readSmallFile } from './files';

export interface KeyFileService {
  /** "FusionAuth" or "ngrok". */
  name: string;
  flag: string;
  env: string;
  /** Where to get a key, for the empty-file hint. */
  where: string;
}

/** The two services with API keys, as the sentences and hints about their keys name them. */
export const KEY_SERVICES = {
  fusionauth: {
    name: 'FusionAuth',
    flag: '--fusionauth-api-key-file',
    env: 'FUSIONAUTH_API_KEY',
    where: 'FusionAuth → Settings → API Keys',
  },
  ngrok: { name: 'ngrok', flag: '--ngrok-api-key-file', env: 'NGROK_API_KEY', where: 'the ngrok dashboard → API Keys' },
} as const satisfies Record<string, KeyFileService>;

/**
 * A key is well under 1 KB (FusionAuth's and ngrok's are a few dozen characters); 64 KB leaves room for
 * any key format to come and still refuses, before reading it, whatever a key file cannot be.
 */
const KEY_FILE_MAX_BYTES = 64 * 1024;

export function readKeyFile(file: string, service: KeyFileService): string {
  const text = readSmallFile(file, {
    what: `the ${service.name} API key file`,
    maxBytes: KEY_FILE_MAX_BYTES,
    hint: `Pass ${service.flag} a file that holds only the key, or set ${service.env}.`,
  });
  const key = text.trim();
  if (!key)
    throw new UserError(`The ${service.name} API key file ${file} is empty.`, {
      hint: `Put the key from ${service.where} in it.`,
    });
  if (/\s/.test(key))
    throw new UserError(`The ${service.name} API key file ${file} holds more than one word.`, {
      hint: 'The file should hold only the key.',
    });
  return key;
}

export type KeySource = 'file' | 'env' | 'typed';

export interface ApiKey {
  key: string;
  source: KeySource;
}

/**
 * The first character of `key` that no API key has, in words; undefined when there is none.
 * FusionAuth's keys and ngrok's are letters, digits and a little punctuation: printable ASCII. A key
 * with anything else came from a broken paste or file (a NUL, a Windows line end, a terminal's escape
 * sequence), and fetch would refuse it as a header value before sending anything, which then read as
 * "Could not reach" the server.
 */
function strangeCharacter(key: string): string | undefined {
  const characters = [...key];
  const at = characters.findIndex((c) => c < '!' || c > '~');
  if (at < 0) return undefined;
  const c = characters[at]!;
  const code = c.codePointAt(0)!;
  const unicode = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const what =
    code === 0
      ? 'a NUL byte'
      : c === '\r' || c === '\n'
        ? 'a line break'
        : code === 0x1b
          ? 'an escape character (ESC)'
          : c === ' ' || c === '\t'
            ? 'a space'
            : code < 0x20 || code === 0x7f
              ? `a control character (${unicode})`
              : `${unicode}, which is not plain ASCII,`;
  return `${what} at position ${at + 1}`;
}

/** The key, once it has only characters a key can have; never quoted, in part or whole, in the sentence. */
function checkedKey(key: ApiKey, service: KeyFileService, file: string | undefined): ApiKey {
  const strange = strangeCharacter(key.key);
  if (!strange) return key;
  const where = { file: `the key file ${file}`, env: service.env, typed: 'the key you entered' }[key.source];
  throw new UserError(`The ${service.name} API key in ${where} has a character no API key has: ${strange}.`, {
    hint: `Copy the key again from ${service.where}: a key is letters, digits and punctuation only.`,
  });
}

/**
 * The key by precedence (file, env, typed); undefined when there is none. An unreadable file, or a key
 * with characters no key has, is a UserError, before any request carries it.
 */
export function keyFrom(
  service: KeyFileService,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  typed: string | undefined,
): ApiKey | undefined {
  if (file) return checkedKey({ key: readKeyFile(file, service), source: 'file' }, service, file);
  const fromEnv = env[service.env]?.trim();
  if (fromEnv) return checkedKey({ key: fromEnv, source: 'env' }, service, undefined);
  const key = typed?.trim();
  return key ? checkedKey({ key, source: 'typed' }, service, undefined) : undefined;
}

/** Where the key in use came from, for "… accepts <this>". */
export const describeKeySource = (source: KeySource, service: KeyFileService): string =>
  ({ file: 'the key file', env: service.env, typed: 'the key you entered' })[source];

/**
 * Reads every key file given on the command line, so that one that cannot be read (or holds no key)
 * ends the run before anything starts or is written; the keys themselves are shown to their APIs in
 * Before You Start. Reads no environment variable: a sandbox run replaces those with its own.
 */
export function checkGivenKeyFiles(options: { fusionauthApiKeyFile?: string; ngrokApiKeyFile?: string }): void {
  if (options.fusionauthApiKeyFile) keyFrom(KEY_SERVICES.fusionauth, options.fusionauthApiKeyFile, {}, undefined);
  if (options.ngrokApiKeyFile) keyFrom(KEY_SERVICES.ngrok, options.ngrokApiKeyFile, {}, undefined);
}
