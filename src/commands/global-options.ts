// The options every command takes, whatever its name (commander's program-level options). Here, not
// in cli.ts, so that no module imports the entry point.
export interface GlobalOptions {
  configDir?: string;
}
