// Set Up ngrok Cloud Edge, done for the user: per mode, what must exist on ngrok (or in the policy file)
// for the site to be protected, made to hold idempotently, and what to run on this machine. Used by the
// ngrok step and by Next Steps (which changes the settings and runs the same reconcile), and read-only
// by the step's check.
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { agentCommandLine, internalUrlFor, secondAgentInput, secondInternalUrl } from '../agent';
import { describeError } from '../errors';
import { finding, type Finding } from '../findings';
import { NgrokApi, type NgrokApiOptions } from './api';
import { oidcModule, reconcileEdge } from './edge';
import { askAboutOthersEndpoint, reconcileEndpoint } from './endpoint';
import { refuseOtherProfilesDomain, resolveDomain } from './domain';
import { reconcileVaultSecret, storedSecretReference } from './vault';
import { isNgrokApiError } from './errors';
import { extrasFrom, type Extras } from './next-steps';
import { describeNgrokKeySource, type NgrokKey } from './key';
import type { Answers } from './ownership';
import YAML from 'yaml';
import { policyDocument, readPolicyFile, samePolicy, writePolicyFile, type OidcSettings } from './policy';
import type { NgrokMode, Store, Values } from '../store';

import { POLICY_FILE_NAME } from '../constants';
import { selfCommandQuoted } from '../text';

export { POLICY_FILE_NAME };

export interface NgrokSetupRequest {
  store: Store;
  mode: NgrokMode;
  /** Modes edge and endpoint: the API key (without one, the step takes the manual path). */
  key?: NgrokKey;
  /** NGROK_API_URL. */
  apiUrl?: string;
  signal: AbortSignal;
  port: number;
  fusionauthUrl: string;
  redirectUri: string;
  /** Edge/endpoint: the domain typed (empty: the stored one, or pick). Agent: the endpoint URL. */
  domain?: string;
  /** Endpoint mode: the internal URL typed (empty: https://<name>.internal). */
  internalUrl?: string;
  answers: Answers;
  noInput?: boolean;
  /** Domains other profiles' setups hold (host name → profile): refused here (core/ngrok/domain.ts). */
  domainsOfOtherProfiles?: ReadonlyMap<string, string>;
  /** Called once the API accepted the key (the step keeps a typed key only then). */
  onKeyAccepted?(): void;
  /** Tests shorten deadlines and backoff. */
  apiOptions?: Partial<NgrokApiOptions>;
}

/** `https://x.ngrok.app` or `x.ngrok.app` → `x.ngrok.app`. */
const hostOf = (text: string): string => (text.includes('://') ? new URL(text).hostname : text.trim().toLowerCase());

/** The OIDC settings a policy gets: the client secret itself, or its `secrets.get` when it is in ngrok's vault (vault.ts). */
export function oidcFor(values: Values, fusionauthUrl: string): OidcSettings {
  return {
    issuerUrl: fusionauthUrl,
    clientId: values.clientId ?? '',
    clientSecret: storedSecretReference(values) ?? values.clientSecret ?? '',
  };
}

/** The traffic policy a mode wants, as an object (export writes the same, with the secret left out). */
export function wantedPolicyDocument(
  mode: 'endpoint' | 'agent',
  oidc: OidcSettings,
  extras: Extras,
  url: string,
  internalUrl?: string,
): Record<string, unknown> {
  const base = mode === 'endpoint' ? internalUrl! : url;
  const second = extras.second ? secondInternalUrl(base, extras.second.slug) : undefined;
  return policyDocument(oidc, {
    forwardInternalUrl: mode === 'endpoint' ? internalUrl : undefined,
    extras,
    secondInternalUrl: second,
  });
}

/** The traffic policy a mode wants, from the stored settings, as the YAML the file and the API get. */
export function wantedPolicy(
  mode: 'endpoint' | 'agent',
  oidc: OidcSettings,
  extras: Extras,
  url: string,
  internalUrl?: string,
): string {
  // lineWidth 0: a long value (a `${secrets.get(…)}`) stays on one line, as a person would write it.
  return YAML.stringify(wantedPolicyDocument(mode, oidc, extras, url, internalUrl), { lineWidth: 0 });
}

/** Where the traffic policy of the endpoint and agent modes lives: beside the store, 0600, recorded as this tool's when it makes it. */
export const policyFileOf = (store: Store): string => store.ownFile(POLICY_FILE_NAME);

/** Writes the policy the stored settings want to the policy file (the manual paths); returns its path. */
export async function writeWantedPolicy(
  store: Store,
  fusionauthUrl: string,
  mode: 'endpoint' | 'agent',
  url: string,
  internalUrl?: string,
): Promise<string> {
  const v = store.values;
  const file = policyFileOf(store);
  await writePolicyFile(file, wantedPolicy(mode, oidcFor(v, fusionauthUrl), extrasFrom(v), url, internalUrl));
  return file;
}

/** Makes the mode's resources hold; returns what it found and did. Throws NeedsAnswer for a question. */
export async function setUpNgrok(req: NgrokSetupRequest): Promise<Finding[]> {
  const { store } = req;
  // A traffic policy reads the secret from the vault when there is an API key to keep one with (endpoint
  // mode; agent mode with a key): edges and a key-less agent get it inline (vault.ts says why). The
  // vault itself stays recorded in `created` for destroy.
  if (req.mode === 'edge' || !req.key) store.setValues({ secretVault: undefined, secretName: undefined });
  const values = store.values;
  const oidc = oidcFor(values, req.fusionauthUrl);
  const extras = extrasFrom(values);

  if (req.mode === 'agent') {
    const url = `https://${hostOf(req.domain!)}`;
    refuseOtherProfilesDomain(new URL(url).hostname, req.domainsOfOtherProfiles);
    const policyFile = policyFileOf(store);
    const vaultFindings: Finding[] = [];
    let secret = oidc.clientSecret;
    if (req.key) {
      // Agent endpoints' policies are evaluated by ngrok's cloud too: "Any secrets that you add to your
      // vault will be available across your account on all traffic policies"
      // (https://ngrok.com/docs/traffic-policy/macros/security, the page before secrets.mdx).
      const api = new NgrokApi({
        apiKey: req.key.key,
        baseUrl: req.apiUrl,
        signal: req.signal,
        secrets: [values.clientSecret],
        ...req.apiOptions,
      });
      const vault = await reconcileVaultSecret(api, store, hostOf(req.domain!), values.clientSecret ?? '', req.answers);
      vaultFindings.push(...vault.findings);
      secret = vault.reference ?? values.clientSecret ?? '';
    }
    const policy = wantedPolicy('agent', { ...oidc, clientSecret: secret }, extras, url);
    const before = await readPolicyFile(policyFile);
    await writePolicyFile(policyFile, policy);
    const agentCommand = agentCommandLine({ mode: 'agent', port: req.port, endpointUrl: url, policyFile });
    store.setValues({
      ngrokMode: 'agent',
      endpointUrl: url,
      domain: new URL(url).hostname,
      policyFile,
      agentCommand,
      redirectUri: req.redirectUri,
      edgeId: undefined,
      region: undefined,
      internalUrl: undefined,
    });
    const findings = [
      ...vaultFindings,
      finding.ok(
        `Traffic policy ${before !== undefined && samePolicy(before, policy) ? 'in' : 'written to'} ${policyFile} (${secret === values.clientSecret ? 'it holds the client secret: mode 0600' : 'it names the vault secret'})`,
      ),
    ];
    if (before !== undefined && !samePolicy(before, policy))
      findings.push(finding.info('The policy changed: restart the agent for it to take effect.'));
    // A switch retires these first (steps/ngrok-switch.ts); one left (no API key to remove it) is said.
    const holder = store.objectsOf('ngrok-cloud-endpoint')[0] ?? store.objectsOf('ngrok-edge')[0];
    if (holder)
      findings.push(
        finding.warn(
          `The ${holder.kind === 'ngrok-edge' ? 'edge' : 'cloud endpoint'} ${holder.id} created in another mode may still hold the domain; the agent cannot start on it then.`,
          `Run ${selfCommandQuoted('destroy')}, or switch back to that mode.`,
        ),
      );
    return [...findings, ...commandFindings(store.values, extras)];
  }

  const api = new NgrokApi({
    apiKey: req.key!.key,
    baseUrl: req.apiUrl,
    signal: req.signal,
    secrets: [values.clientSecret],
    ...req.apiOptions,
  });
  await api.checkKey();
  req.onKeyAccepted?.();
  const findings: Finding[] = [finding.ok(`ngrok accepts the API key (${describeNgrokKeySource(req.key!)})`)];
  const resolved = await resolveDomain(api, store, {
    typed: req.domain ? hostOf(req.domain) : undefined,
    answers: req.answers,
    noInput: req.noInput,
    taken: req.domainsOfOtherProfiles,
  });
  findings.push(...resolved.findings);
  const domain = resolved.domain;
  const url = `https://${domain}`;
  // Kept at once: a rerun after a crash must land on the same domain rather than ask again.
  store.setValues({ domain });

  if (req.mode === 'edge') {
    const edge = await reconcileEdge(api, store, { domain, oidc, extras }, req.answers);
    findings.push(...edge.findings);
    const agentCommand = agentCommandLine({ mode: 'edge', port: req.port, edgeId: edge.edgeId });
    store.setValues({
      ngrokMode: 'edge',
      endpointUrl: url,
      edgeId: edge.edgeId,
      agentCommand,
      redirectUri: req.redirectUri,
      region: undefined,
      internalUrl: undefined,
      policyFile: undefined,
    });
  } else {
    const internal = req.internalUrl || internalUrlFor(url);
    await askAboutOthersEndpoint(api, store, url, req.answers);
    const vault = await reconcileVaultSecret(api, store, domain, values.clientSecret ?? '', req.answers);
    findings.push(...vault.findings);
    const secret = vault.reference ?? values.clientSecret ?? '';
    const policy = wantedPolicy('endpoint', { ...oidc, clientSecret: secret }, extras, url, internal);
    const endpoint = await reconcileEndpoint(api, store, { domain, url, policy }, req.answers);
    findings.push(
      ...endpoint.findings,
      finding.ok(
        `It logs visitors in with FusionAuth (issuer ${oidc.issuerUrl}, client ${oidc.clientId}), then forwards them to ${internal}`,
      ),
    );
    const agentCommand = agentCommandLine({ mode: 'endpoint', port: req.port, internalUrl: internal });
    store.setValues({
      ngrokMode: 'endpoint',
      endpointUrl: url,
      internalUrl: internal,
      agentCommand,
      redirectUri: req.redirectUri,
      edgeId: undefined,
      region: undefined,
      policyFile: undefined,
    });
  }
  return [...findings, finding.ok(`Endpoint ${url}`), ...commandFindings(store.values, extras)];
}

function commandFindings(values: Values, extras: Extras): Finding[] {
  const list = [finding.ok(`Agent command: ${values.agentCommand}`)];
  const second = secondAgentCommand(values, extras);
  if (second) list.push(finding.ok(`Second app (${extras.second!.path}): ${second}`));
  return list;
}

/** The command for the second local app of Next Steps, when there is one. */
export function secondAgentCommand(values: Values, extras: Extras = extrasFrom(values)): string | undefined {
  if (!extras.second || !values.ngrokMode) return undefined;
  if (values.ngrokMode === 'edge' && !values.edgeId) return undefined;
  return agentCommandLine(
    secondAgentInput(
      {
        mode: values.ngrokMode,
        edgeId: values.edgeId,
        internalUrl: values.internalUrl,
        endpointUrl: values.endpointUrl,
      },
      extras.second,
    ),
  );
}

// ---------------------------------------------------------------- the check: read-only

export interface NgrokCheckRequest {
  store: Store;
  key?: NgrokKey;
  apiUrl?: string;
  signal: AbortSignal;
  fusionauthUrl?: string;
  apiOptions?: Partial<NgrokApiOptions>;
}

/** Does what the step set up still hold? Reads ngrok (with a key) or the policy file; changes nothing. */
export async function checkNgrok(req: NgrokCheckRequest): Promise<{ done: boolean; findings: Finding[] }> {
  const v = req.store.values;
  if (!v.ngrokMode || !v.endpointUrl || !v.agentCommand) return { done: false, findings: [] };
  const ready = [finding.ok(`Endpoint ${v.endpointUrl}`), finding.ok(`Agent command: ${v.agentCommand}`)];
  const extras = extrasFrom(v);
  const oidc = req.fusionauthUrl ? oidcFor(v, req.fusionauthUrl) : undefined;

  if (v.ngrokMode === 'agent') {
    const text = v.policyFile ? await readPolicyFile(v.policyFile) : undefined;
    if (text === undefined)
      return {
        done: false,
        findings: [
          finding.warn(`The traffic-policy file ${v.policyFile ?? ''} is missing.`, 'Run this step again to write it.'),
        ],
      };
    if (oidc && !samePolicy(text, wantedPolicy('agent', oidc, extras, v.endpointUrl)))
      return {
        done: false,
        findings: [
          finding.warn(
            'The traffic-policy file says something else than the settings (client, issuer or Next Steps).',
            'Run this step again to rewrite it.',
          ),
        ],
      };
    return { done: true, findings: ready };
  }
  if (!req.key) {
    // The manual path: what the user pasted is all there is to check.
    const done = v.ngrokMode === 'edge' ? Boolean(v.edgeId) : Boolean(v.policyFile && existsSync(v.policyFile));
    return { done, findings: done ? ready : [] };
  }
  if (!oidc) return { done: false, findings: [finding.info('The FusionAuth URL is not known yet.')] };
  const api = new NgrokApi({
    apiKey: req.key.key,
    baseUrl: req.apiUrl,
    signal: req.signal,
    secrets: [v.clientSecret],
    ...req.apiOptions,
  });
  try {
    const problem =
      v.ngrokMode === 'edge'
        ? await edgeProblem(api, req.store, oidc, extras)
        : await endpointProblem(api, req.store, oidc, extras);
    return problem
      ? {
          done: false,
          findings: [finding.warn(problem, 'Run this step again: it repairs what differs and reuses the rest.')],
        }
      : { done: true, findings: ready };
  } catch (error) {
    if (req.signal.aborted) throw error;
    return { done: false, findings: [finding.error(describeError(error))] };
  }
}

async function edgeProblem(
  api: NgrokApi,
  store: Store,
  oidc: OidcSettings,
  extras: Extras,
): Promise<string | undefined> {
  const v = store.values;
  const edge = await api
    .getEdge(v.edgeId!)
    .catch((e: unknown) => (isNgrokApiError(e, 404) ? undefined : Promise.reject(e)));
  if (!edge) return `The edge ${v.edgeId} no longer exists on ngrok.`;
  if (v.domain && !edge.hostports.includes(`${v.domain}:443`))
    return `The edge ${edge.id} no longer serves ${v.domain}.`;
  const ref =
    edge.routes.find((r) => r.id === store.ownedId('ngrok-edge-route')) ??
    edge.routes.find((r) => r.matchType === 'path_prefix' && r.match === '/');
  if (!ref) return `The edge ${edge.id} has no route for /.`;
  const route = await api.getRoute(edge.id, ref.id);
  if (!route.backendId) return `The route / of ${edge.id} has no backend.`;
  if (!isDeepStrictEqual(route.oidc, oidcModule(oidc, extras)))
    return 'The OIDC module of the route / differs from the settings (issuer, client id, secret or session limits).';
  return undefined;
}

async function endpointProblem(
  api: NgrokApi,
  store: Store,
  oidc: OidcSettings,
  extras: Extras,
): Promise<string | undefined> {
  const v = store.values;
  const id = store.ownedId('ngrok-cloud-endpoint');
  const endpoint = id
    ? await api.getEndpoint(id).catch((e: unknown) => (isNgrokApiError(e, 404) ? undefined : Promise.reject(e)))
    : (await api.listEndpoints()).find((e) => e.type === 'cloud' && e.url === v.endpointUrl);
  if (!endpoint) return `The cloud endpoint ${id ?? `at ${v.endpointUrl}`} no longer exists on ngrok.`;
  const secretId = store.ownedId('ngrok-vault-secret');
  if (storedSecretReference(v) && secretId) {
    const secret = await api
      .getVaultSecret(secretId)
      .catch((e: unknown) => (isNgrokApiError(e, 404) ? undefined : Promise.reject(e)));
    if (!secret) return `The vault secret ${secretId} that the policy reads the client secret from no longer exists.`;
  }
  if (!samePolicy(endpoint.trafficPolicy, wantedPolicy('endpoint', oidc, extras, v.endpointUrl!, v.internalUrl)))
    return `The traffic policy of ${endpoint.id} differs from the settings (client, issuer or Next Steps).`;
  return undefined;
}
