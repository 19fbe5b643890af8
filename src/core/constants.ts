// Names shared by the CLI's argument parsing and the store, in a module that imports nothing, so that
// `--version` and `--help` load no settings library.
export const STEP_IDS = ['prereqs', 'site', 'fusionauth', 'ngrok', 'finish', 'test', 'next'] as const;
export type StepId = (typeof STEP_IDS)[number];
export const NGROK_MODES = ['edge', 'endpoint', 'agent'] as const;
export type NgrokMode = (typeof NGROK_MODES)[number];
export const EXPORT_FORMATS = ['ngrok-yml', 'policy', 'systemd'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/**
 * The local site's port when nothing names one. The guide says 8080 once and then uses 8000
 * everywhere after; we serve and probe the port we start. Here, not in core/site, so that the lifecycle
 * root (which offers it to the setup) does not load the site server and the HTTP client before the
 * wizard's first frame (docs/ARCHITECTURE.md, "Performance").
 */
export const DEFAULT_SITE_PORT = 8000;
/** The settings file, in the config dir (and in each profile's folder under it). */
export const CONFIG_FILE_NAME = 'config.json';
/** The agent's full log, in the config dir (size-capped, one `.1` kept). */
export const AGENT_LOG_FILE = 'agent.log';
/** The traffic policy of the endpoint/agent modes, in the config dir (0600: it holds the client secret). */
export const POLICY_FILE_NAME = 'traffic-policy.yml';
/** The policy of FusionAuth's published endpoint (the proxy headers FusionAuth needs; no secret). */
export const FUSIONAUTH_POLICY_FILE_NAME = 'fusionauth-policy.yml';
