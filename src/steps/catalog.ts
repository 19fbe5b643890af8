// The guide's sections and the stored values, by name only: what `status` prints and what the wizard
// draws in its first frame, without loading the steps (and their HTTP, process and YAML libraries).
// Step modules take their titles and explanations from here.
import type { StepId } from '../core/constants';
import type { Values } from '../core/store';

export const SECTION_TITLES: Record<StepId, string> = {
  prereqs: 'Before You Start',
  site: 'Set Up The Application',
  fusionauth: 'Set Up FusionAuth',
  ngrok: 'Set Up ngrok Cloud Edge',
  finish: 'Finishing Up With FusionAuth',
  test: 'Test It Out',
  next: 'Next Steps',
};

/** A line or two of the guide's own explanation of each section: what the step does and why. */
export const SECTION_EXPLAIN: Record<StepId, string> = {
  prereqs:
    "You need a FusionAuth instance on a publicly accessible URL, a local website, and the ngrok CLI with an account: ngrok's cloud delegates the login to FusionAuth.",
  site: "A sample application to protect: a simple web page in a folder, served by python's built-in web server on your computer.",
  fusionauth:
    "Make the tenant's issuer the URL of your FusionAuth instance, then create an application for ngrok with the Authorization Code and Refresh Token grants; ngrok logs users in with its Client Id and secret.",
  ngrok:
    "ngrok's cloud answers on a public URL and delegates authentication to FusionAuth with OpenID Connect, then forwards logged-in visitors to the agent on your machine.",
  finish:
    "FusionAuth only sends users back to URLs it knows: add ngrok's Redirect URI to the application's Authorized redirect URLs.",
  test: 'Start the ngrok tunnel and visit the endpoint from a browser that is not logged in: you are asked to log into FusionAuth, and only then see the application.',
  next: 'There is a lot more you can do with ngrok and FusionAuth once the login works.',
};

/** Every stored value with its label, in the guide's order; secrets are masked wherever shown. */
// One term per thing (test/commands/terms.test.ts keeps the retired ones out): the site's address on
// the internet is its "Public URL" (as `--url` says), never "Endpoint", which ngrok also uses for the
// cloud endpoint object; "Client Id" as FusionAuth's admin UI spells it.
export const VALUE_LABELS: ReadonlyArray<{ key: keyof Values; label: string; secret?: boolean }> = [
  { key: 'sandbox', label: 'Sandbox' },
  { key: 'fusionauthUrl', label: 'FusionAuth URL' },
  { key: 'fusionauthPublicUrl', label: 'FusionAuth public URL' },
  { key: 'fusionauthApiKey', label: 'FusionAuth API key', secret: true },
  { key: 'tenantId', label: 'Tenant' },
  { key: 'siteDir', label: 'Site folder' },
  { key: 'sitePort', label: 'Site port' },
  { key: 'applicationName', label: 'Application' },
  { key: 'clientId', label: 'Client Id' },
  { key: 'clientSecret', label: 'Client secret', secret: true },
  { key: 'secretVault', label: 'ngrok vault (client secret)' },
  { key: 'ngrokApiKey', label: 'ngrok API key', secret: true },
  { key: 'ngrokMode', label: 'ngrok mode' },
  { key: 'domain', label: 'Domain' },
  { key: 'endpointUrl', label: 'Public URL' },
  { key: 'edgeId', label: 'Edge' },
  { key: 'region', label: 'Region' },
  { key: 'internalUrl', label: 'Internal URL' },
  { key: 'policyFile', label: 'Policy file' },
  { key: 'agentCommand', label: 'Agent command' },
  { key: 'redirectUri', label: 'Redirect URI' },
  { key: 'requireRegistration', label: 'Registration required' },
  { key: 'webhookUrl', label: 'Login webhook' },
  { key: 'sessionInactivity', label: 'Log out after inactivity' },
  { key: 'sessionMaxDuration', label: 'Maximum session' },
  { key: 'userinfoRefresh', label: 'User info refresh' },
  { key: 'allowCidrs', label: 'Allowed networks' },
  { key: 'addHeaders', label: 'Headers added' },
  { key: 'removeHeaders', label: 'Headers removed' },
  { key: 'secondPath', label: 'Second path' },
  { key: 'secondPort', label: 'Second app port' },
];

/** The label of a stored value, the same in `status` and on every screen. */
export function labelOf(key: keyof Values): string {
  return VALUE_LABELS.find((v) => v.key === key)!.label;
}
