// `ngrok config check` and `ngrok config add-authtoken`.
import path from 'node:path';
import type { CommonFlags } from './cli';
import { ConfigError, defaultConfigPath, readConfigFile, saveAuthtoken } from './config';
import { fail } from './fail';

function configPaths(flags: CommonFlags): string[] {
  return flags.config.length > 0 ? flags.config.map((f) => path.resolve(f)) : [defaultConfigPath()];
}

export function configCheck(flags: CommonFlags): void {
  const files = configPaths(flags);
  let authtoken: string | undefined;
  for (const file of files) {
    try {
      authtoken = readConfigFile(file).authtoken ?? authtoken;
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message);
      throw error;
    }
  }
  const file = files.at(-1)!;
  if (!authtoken) {
    fail(
      `Invalid configuration file at ${file}\n\nThe configuration has no authtoken. Usage of ngrok requires a verified account and authtoken.\nInstall your authtoken: ngrok config add-authtoken <TOKEN>\nERR_NGROK_4018`,
    );
  }
  process.stdout.write(`Valid configuration file at ${file}\n`);
}

export function addAuthtoken(token: string, flags: CommonFlags): void {
  const file = configPaths(flags).at(-1)!;
  try {
    saveAuthtoken(file, token);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  process.stdout.write(`Authtoken saved to configuration file: ${file}\n`);
}
