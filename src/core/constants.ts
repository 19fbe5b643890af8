// Names shared by the CLI's argument parsing and the store, in a module that imports nothing, so that
// `--version` and `--help` load no settings library.
export const STEP_IDS = ['prereqs', 'site', 'fusionauth', 'ngrok', 'finish', 'test', 'next'] as const;
export type StepId = (typeof STEP_IDS)[number];
export const NGROK_MODES = ['edge', 'endpoint', 'agent'] as const;
export type NgrokMode = (typeof NGROK_MODES)[number];
export const EXPORT_FORMATS = ['ngrok-yml', 'policy', 'systemd'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
