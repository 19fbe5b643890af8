// What another machine needs to join the same protected site (ngrok load-balances between agents that
// share a label, or a pooled URL): an ngrok agent config, the traffic policy, a systemd unit.
// The authtoken and the client secret are never written out: placeholders say where to get them.
//
// The config agrees with the first machine's command (agent/command.ts): the same URL, the same
// upstream port, and pooling on both sides in endpoint and agent modes, since ngrok pools a URL only
// when every endpoint on it has pooling enabled (https://ngrok.com/docs/universal-gateway/endpoint-pooling)
// and refuses the newcomer with ERR_NGROK_334 otherwise. Edge mode's file is version 2, the only one
// with labeled tunnels ("Labeled tunnels are no longer supported in v3",
// https://ngrok.com/docs/agent/config/v3); the others are version 3 with `endpoints:`, which needs
// agent 3.16.0 (https://ngrok.com/docs/agent/changelog). exportCheck asks this machine's agent
// (`ngrok config check`) whether it accepts the file, and says what to do when it does not.
// Every file is built by the YAML library, its comments included (a stored value quoted in a comment
// with a line break in it stays inside the comment): never by joining text.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { checkConfigFile, MODE_FLOOR } from '../agent';
import { UserError } from '../errors';
import { finding, type Finding } from '../findings';
import { extrasFrom } from './next-steps';
import { fusionauthProxyPolicy } from './fusionauth-domain';
import { oidcFor, wantedPolicyDocument } from './setup';
import { storedSecretReference } from './vault';
import type { NgrokMode, Values } from '../store';
import { selfCommandQuoted, shellCommand } from '../text';

import type { ExportFormat } from '../constants';

export const AUTHTOKEN_PLACEHOLDER = '<YOUR_NGROK_AUTHTOKEN>';
export const SECRET_PLACEHOLDER = '<CLIENT_SECRET>';
const ENDPOINT_NAME = 'protected-site';
const FUSIONAUTH_ENDPOINT_NAME = 'fusionauth';

/** The document, with the header lines as its leading comment (each line made a comment by the library). */
function yamlWithHeader(header: readonly string[], value: unknown): string {
  const doc = new YAML.Document(value);
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Where the Client secret an export leaves out is found: `status` masks it, `status --reveal` shows it. */
const SECRET_WAY = (): string =>
  `(${selfCommandQuoted('status', '--reveal')} shows it, as does FusionAuth's admin UI: Applications → Edit → OAuth → Client secret)`;

function required(
  values: Values,
): asserts values is Values & { ngrokMode: NonNullable<Values['ngrokMode']>; sitePort: number } {
  if (!values.ngrokMode || !values.sitePort)
    throw new UserError('Nothing to export yet: finish "Set Up ngrok Cloud Edge" first.', {
      hint: `Run ${selfCommandQuoted()} to continue the setup.`,
    });
}

/** The policy the first machine runs (Next Steps included), with the client secret left out. */
function policyDocument(values: Values & { ngrokMode: 'endpoint' | 'agent' }): Record<string, unknown> {
  if (!values.fusionauthUrl || !values.clientId)
    throw new UserError('The FusionAuth URL and Client Id are not stored yet.', {
      hint: 'Finish "Set Up FusionAuth" first.',
    });
  // FusionAuth published through ngrok: its public URL is the issuer (core/ngrok/fusionauth-domain.ts).
  // A secret in ngrok's vault is named, not held: the same reference works for every agent of the account.
  const stored = oidcFor(values, values.fusionauthPublicUrl ?? values.fusionauthUrl);
  const oidc = { ...stored, clientSecret: storedSecretReference(values) ?? SECRET_PLACEHOLDER };
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
    if (!values.edgeId)
      throw new UserError('No edge is stored yet.', { hint: 'Finish "Set Up ngrok Cloud Edge" first.' });
    header.push("Agents that share the edge label are load-balanced by ngrok's edge.");
    header.push('Version 2: labeled tunnels exist only there (https://ngrok.com/docs/agent/config/v3).');
    return yamlWithHeader(header, {
      version: '2',
      authtoken: AUTHTOKEN_PLACEHOLDER,
      ...(values.region ? { region: values.region } : {}),
      tunnels: { [ENDPOINT_NAME]: { labels: [`edge=${values.edgeId}`], addr: `http://localhost:${values.sitePort}` } },
    });
  }
  const endpoint: Record<string, unknown> = {
    name: ENDPOINT_NAME,
    upstream: { url: values.sitePort },
    pooling_enabled: true,
  };
  if (values.ngrokMode === 'endpoint') {
    if (!values.internalUrl)
      throw new UserError('No internal URL is stored yet.', { hint: 'Finish "Set Up ngrok Cloud Edge" first.' });
    endpoint.url = values.internalUrl;
    header.push(
      `Agents on the same internal URL pool behind the cloud endpoint ${values.endpointUrl ?? ''}, which does the login.`,
    );
  } else {
    if (!values.endpointUrl)
      throw new UserError('No public URL is stored yet.', { hint: 'Finish "Set Up ngrok Cloud Edge" first.' });
    endpoint.url = values.endpointUrl;
    endpoint.traffic_policy = policyDocument({ ...values, ngrokMode: 'agent' });
    // With the secret in the vault the policy names it (secrets.get): nothing to paste in.
    header.push(
      values.secretVault && storedSecretReference(values)
        ? `Each agent enforces the login itself; the client secret is read from ngrok's vault (${values.secretVault}).`
        : `Each agent enforces the login itself: replace ${SECRET_PLACEHOLDER} with the Client secret ${SECRET_WAY()}.`,
    );
    header.push('Agents on the same URL with pooling enabled share its traffic.');
  }
  header.push(`Version 3 with endpoints: needs ngrok agent ${MODE_FLOOR.endpoint.version} or later (ngrok update).`);
  const endpoints = [endpoint, ...fusionauthEndpoint(values, header)];
  return yamlWithHeader(header, { version: '3', agent: { authtoken: AUTHTOKEN_PLACEHOLDER }, endpoints });
}

/**
 * FusionAuth published through ngrok (fusionauth-domain.ts): the endpoint the first machine's second
 * agent runs (agent/command.ts fusionauthPublisherArgs), as a config entry. It belongs on the machine
 * FusionAuth runs on only: its upstream is that machine's FusionAuth.
 */
function fusionauthEndpoint(values: Values, header: string[]): Array<Record<string, unknown>> {
  if (!values.fusionauthPublicUrl || !values.fusionauthUrl) return [];
  header.push(
    `The endpoint ${FUSIONAUTH_ENDPOINT_NAME} publishes FusionAuth (${values.fusionauthUrl}) at ${values.fusionauthPublicUrl}: keep it only on the machine FusionAuth runs on.`,
  );
  return [
    {
      name: FUSIONAUTH_ENDPOINT_NAME,
      url: values.fusionauthPublicUrl,
      upstream: { url: values.fusionauthUrl },
      traffic_policy: YAML.parse(fusionauthProxyPolicy()) as unknown,
      pooling_enabled: true,
    },
  ];
}

const EXPORTED = '<the exported file>';

/** What to do when an agent refuses the exported file, by the file's kind. */
function refusedFix(mode: NgrokMode, values: Values): string {
  if (mode === 'edge') {
    return `Agents that do not take a version 2 file with labeled tunnels can start the same tunnel on the command line: \`ngrok tunnel --label edge=${values.edgeId ?? 'EDGE_ID'} http://localhost:${values.sitePort ?? 'PORT'}\`; or move to endpoint mode (edges are retired): ${selfCommandQuoted('setup', '--ngrok-mode', 'endpoint')}.`;
  }
  return `A version 3 file with endpoints needs ngrok agent ${MODE_FLOOR.endpoint.version} or later: run \`ngrok update\` on each machine that uses it.`;
}

/**
 * Whether this machine's agent accepts the exported agent config (`ngrok config check --config F` on
 * a private temp copy), so that an agent too old for it shows here and not on the other machine.
 */
export async function exportCheck(
  text: string,
  values: Values,
  agent: { bin: string; env: NodeJS.ProcessEnv },
): Promise<Finding> {
  required(values);
  const dir = await mkdtemp(path.join(tmpdir(), 'ngrok-fusionauth-export-'));
  const file = path.join(dir, 'ngrok.yml');
  try {
    await writeFile(file, text, { mode: 0o600 });
    const check = await checkConfigFile(agent.bin, file, agent.env);
    if (!check.found)
      return finding.info(
        `No ngrok agent here (${agent.bin}) to check the file with.`,
        'Run `ngrok config check --config <file>` on the machine that uses it.',
      );
    if (check.accepted) return finding.ok("This machine's ngrok agent accepts the file (ngrok config check).");
    const said = check.output
      .split(file)
      .join(EXPORTED)
      .split('\n')
      .map((l) => l.replace(/^ERROR:\s*/, '').trim())
      .filter(Boolean)
      .join(' ');
    return finding.warn(`This machine's ngrok agent refuses the file: ${said}`, refusedFix(values.ngrokMode, values));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function policyYml(values: Values): string {
  required(values);
  if (values.ngrokMode === 'edge')
    throw new UserError("In edge mode the login is the edge's OIDC module: there is no traffic policy to export.", {
      hint: 'Use --format ngrok-yml.',
    });
  if (values.ngrokMode === 'endpoint' && !values.internalUrl)
    throw new UserError('No internal URL is stored yet.', { hint: 'Finish "Set Up ngrok Cloud Edge" first.' });
  const doc = policyDocument({ ...values, ngrokMode: values.ngrokMode });
  const vault = storedSecretReference(values);
  return yamlWithHeader(
    [
      vault
        ? `Traffic policy from ngrok-fusionauth. The client secret is read from ngrok's vault (${values.secretVault}).`
        : `Traffic policy from ngrok-fusionauth. Replace ${SECRET_PLACEHOLDER} with the application's Client secret ${SECRET_WAY()}.`,
    ],
    doc,
  );
}

export function systemdUnit(values: Values, configPath = '/etc/ngrok-fusionauth/ngrok.yml'): string {
  required(values);
  return [
    '# systemd unit from ngrok-fusionauth: keeps the agent running on this machine.',
    `# Put the output of ${selfCommandQuoted('export', '--format', 'ngrok-yml')} (authtoken filled in) at ${configPath},`,
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
