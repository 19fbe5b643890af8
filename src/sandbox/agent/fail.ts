// A fatal error, printed the way the ngrok agent prints them ("ERROR:  …" lines), then exit 1.
import { printError } from './log';

export function fail(text: string): never {
  printError(text);
  process.exit(1);
}
