// The options every command takes, whatever its name (commander's program-level options). Here, not
// in cli.ts, so that no module imports the entry point.
export interface GlobalOptions {
  configDir?: string;
  /** `--profile NAME`: the store under `<config dir>/profiles/NAME` (core/store/profiles.ts). */
  profile?: string;
}
