// What another machine needs to join the same protected site (ngrok load-balances between agents that
// share a label, or a pooled URL): an ngrok agent config, the traffic policy, a systemd unit.
// The authtoken and the client secret are never written out: placeholders say where to get them.
// Every file is built by the YAML library, its comments included (a stored value quoted in a comment
// with a line break in it stays inside the comment): never by joining text.
import YAML from 'yaml';
import { UserError } from '../errors';
import { extrasFrom } from './next-steps';
import { oidcFor, wantedPolicyDocument } from './setup';
import type { Values } from '../store';
import { shellCommand } from '../text';

import type { ExportFormat } from '../constants';

export const AUTHTOKEN_PLACEHOLDER = '<YOUR_NGROK_AUTHTOKEN>';
export const SECRET_PLACEHOLDER = '<CLIENT_SECRET>';
const ENDPOINT_NAME = 'protected-site';

/** The document, with the header lines as its leading comment (each line made a comment by the library). */
function yamlWithHeader(header: readonly string[], value: unknown): string {
  const doc = new YAML.Document(value);
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return doc.toString();
}

function required(values: Values): asserts values is Values & { ngrokMode: NonNullable<Values['ngrokMode']>; sitePort: number } {
  if (!values.ngrokMode || !values.sitePort) throw new UserError('Nothing to export yet: finish "Set Up ngrok Cloud Edge" first.', { hint: 'Run `ngrok-fusionauth` to continue the setup.' });
}

/** The policy the first machine runs (Next Steps included), with the client secret left out. */
function policyDocument(values: Values & { ngrokMode: 'endpoint' | 'agent' }): Record<string, unknown> {
  if (!values.fusionauthUrl || !values.clientId) throw new UserError('The FusionAuth URL and Client Id are not stored yet.', { hint: 'Finish "Set Up FusionAuth" first.' });
  const oidc = { ...oidcFor(values, values.fusionauthUrl), clientSecret: SECRET_PLACEHOLDER };
  return wantedPolicyDocument(values.ngrokMode, oidc, extrasFrom(values), values.endpointUrl ?? '', values.internalUrl);
}

/** The agent configuration: v2 with a labeled tunnel in `edge` mode (v3 has no labels), v3 otherwise. */
export function ngrokYml(values: Values): string {
  required(values);
  const header = [
    'ngrok agent configuration from ngrok-fusionauth: run it on every machine that serves the site.',
    `Replace ${AUTHTOKEN_PLACEHOLDER} (ngrok dashboard → Your Authtoken), then: ngrok start --all --config <this file>`,
  ];
  if (values.ngrokMode === 'edge') {
    if (!values.edgeId) throw new UserError('No edge is stored yet.', { hint: 'Finish "Set Up ngrok Cloud Edge" first.' });
    header.push('Agents that share the edge label are load-balanced by ngrok\'s edge.');
    return yamlWithHeader(header, { version: '2', authtoken: AUTHTOKEN_PLACEHOLDER, tunnels: { [ENDPOINT_NAME]: { labels: [`edge=${values.edgeId}`], addr: `http://localhost:${values.sitePort}` } } });
  }
  const endpoint: Record<string, unknown> = { name: ENDPOINT_NAME, upstream: { url: values.sitePort }, pooling_enabled: true };
  if (values.ngrokMode === 'endpoint') {
    if (!values.internalUrl) throw new UserError('No internal URL is stored yet.', { hint: 'Finish "Set Up ngrok Cloud Edge" first.' });
    endpoint.url = values.internalUrl;
    header.push(`Agents on the same internal URL pool behind the cloud endpoint ${values.endpointUrl ?? ''}, which does the login.`);
  } else {
    if (!values.endpointUrl) throw new UserError('No endpoint URL is stored yet.', { hint: 'Finish "Set Up ngrok Cloud Edge" first.' });
    endpoint.url = values.endpointUrl;
    endpoint.traffic_policy = policyDocument({ ...values, ngrokMode: 'agent' });
    header.push(`Each agent enforces the login itself: replace ${SECRET_PLACEHOLDER} with the Client secret (\`ngrok-fusionauth status\`, or the policy file on the first machine).`);
    header.push('Agents on the same URL with pooling enabled share its traffic.');
  }
  return yamlWithHeader(header, { version: '3', agent: { authtoken: AUTHTOKEN_PLACEHOLDER }, endpoints: [endpoint] });
}

export function policyYml(values: Values): string {
  required(values);
  if (values.ngrokMode === 'edge') throw new UserError('In edge mode the login is the edge\'s OIDC module: there is no traffic policy to export.', { hint: 'Use --format ngrok-yml.' });
  if (values.ngrokMode === 'endpoint' && !values.internalUrl) throw new UserError('No internal URL is stored yet.', { hint: 'Finish "Set Up ngrok Cloud Edge" first.' });
  const doc = policyDocument({ ...values, ngrokMode: values.ngrokMode });
  return yamlWithHeader([`Traffic policy from ngrok-fusionauth. Replace ${SECRET_PLACEHOLDER} with the application's Client secret.`], doc);
}

export function systemdUnit(values: Values, configPath = '/etc/ngrok-fusionauth/ngrok.yml'): string {
  required(values);
  return [
    '# systemd unit from ngrok-fusionauth: keeps the agent running on this machine.',
    `# Put the output of \`ngrok-fusionauth export --format ngrok-yml\` (authtoken filled in) at ${configPath},`,
    '# then: systemctl daemon-reload && systemctl enable --now ngrok-fusionauth',
    '[Unit]',
    'Description=ngrok agent for the FusionAuth-protected site',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    // systemd reads a single-quoted word as sh does (systemd.syntax(7), "Quoting").
    `ExecStart=${shellCommand(['/usr/local/bin/ngrok', 'start', '--all', '--config', configPath, '--log', 'stdout', '--log-format', 'logfmt'])}`,
    'Restart=on-failure',
    'RestartSec=5',
    'DynamicUser=yes',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function exportAs(format: ExportFormat, values: Values): string {
  return { 'ngrok-yml': ngrokYml, policy: policyYml, systemd: systemdUnit }[format](values);
}
