// The guide's sections and the stored values, by name only: what `status` needs to print without
// loading the steps (and their HTTP, process and YAML libraries). Step modules take their titles here.
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

/** Every stored value with its label, in the guide's order; secrets are masked wherever shown. */
export const VALUE_LABELS: ReadonlyArray<{ key: keyof Values; label: string; secret?: boolean }> = [
  { key: 'sandbox', label: 'Sandbox' },
  { key: 'fusionauthUrl', label: 'FusionAuth URL' },
  { key: 'fusionauthApiKey', label: 'FusionAuth API key', secret: true },
  { key: 'tenantId', label: 'Tenant' },
  { key: 'siteDir', label: 'Site folder' },
  { key: 'sitePort', label: 'Site port' },
  { key: 'applicationName', label: 'Application' },
  { key: 'clientId', label: 'Client Id' },
  { key: 'clientSecret', label: 'Client secret', secret: true },
  { key: 'ngrokApiKey', label: 'ngrok API key', secret: true },
  { key: 'ngrokMode', label: 'ngrok mode' },
  { key: 'domain', label: 'Domain' },
  { key: 'endpointUrl', label: 'Endpoint' },
  { key: 'edgeId', label: 'Edge' },
  { key: 'region', label: 'Region' },
  { key: 'internalUrl', label: 'Internal URL' },
  { key: 'policyFile', label: 'Policy file' },
  { key: 'agentCommand', label: 'Agent command' },
  { key: 'redirectUri', label: 'Redirect URI' },
  { key: 'requireRegistration', label: 'Registration required' },
  { key: 'webhookUrl', label: 'Login webhook' },
  { key: 'sessionInactivity', label: 'Session inactivity limit' },
  { key: 'sessionMaxDuration', label: 'Session maximum duration' },
  { key: 'userinfoRefresh', label: 'Userinfo refresh' },
  { key: 'allowCidrs', label: 'Allowed networks' },
  { key: 'addHeaders', label: 'Headers added' },
  { key: 'removeHeaders', label: 'Headers removed' },
  { key: 'secondPath', label: 'Second path' },
  { key: 'secondPort', label: 'Second app port' },
];
