// Next Steps, ngrok side: session limits, IP restrictions, headers added or removed, a second path to
// another local app. The settings are stored, then applied by the same reconcile as Set Up ngrok Cloud
// Edge (route modules in edge mode, the traffic policy otherwise) and shown.
import { describeError, UserError } from '../../core/errors';
import { finding, type Finding } from '../../core/findings';
import { secondAppLabels } from '../../core/agent';
import { ngrokKeyFor } from '../../core/ngrok';
import {
  cidrList,
  duration,
  extrasFrom,
  formatHeaderAdds,
  formatList,
  headerAdds,
  headerCountProblem,
  headerNames,
  pathPrefix,
  type Extras,
} from '../../core/ngrok';
import { NeedsAnswer } from '../../core/ngrok';
import { setUpNgrok, writeWantedPolicy } from '../../core/ngrok';
import type { Values } from '../../core/store';
import { optional, port as portNumber, type Validation } from '../../core/validate';
import { issuerUrlFor, sitePortFor } from '../../core/settings';
import { withFusionAuthPublished } from '../../core/tunnel';
import { ngrokRunFrom } from '../ngrok';
import { row, type Field, type Input, type StepContext } from '../types';
import type { NextStepsPart } from './part';
import { labelOf } from '../catalog';

const changing = (input: Input) => input.ngrokSettings === 'change';
const optionalPort = optional(portNumber, undefined);

interface Parsed {
  sessionInactivity?: string;
  sessionMaxDuration?: string;
  userinfoRefresh?: string;
  allowCidrs: string[];
  addHeaders: Record<string, string>;
  removeHeaders: string[];
  secondPath?: string;
  secondPort?: number;
}

/** Every field parsed; the first problem as one sentence. */
function parse(input: Input): Validation<Parsed> {
  const results = {
    sessionInactivity: duration(input.sessionInactivity ?? '', 'The inactivity timeout'),
    sessionMaxDuration: duration(input.sessionMaxDuration ?? '', 'The maximum session'),
    userinfoRefresh: duration(input.userinfoRefresh ?? '', 'The user info refresh'),
    allowCidrs: cidrList(input.allowCidrs ?? ''),
    addHeaders: headerAdds(input.addHeaders ?? ''),
    removeHeaders: headerNames(input.removeHeaders ?? ''),
    secondPath: pathPrefix(input.secondPath ?? ''),
    secondPort: optionalPort(input.secondPort ?? ''),
  };
  const parsed: Record<string, unknown> = {};
  for (const [key, result] of Object.entries(results)) {
    if (!result.ok) return result;
    parsed[key] = result.value;
  }
  const value = parsed as unknown as Parsed;
  if (value.secondPath && !value.secondPort)
    return { ok: false, message: `Give the port of the app that serves ${value.secondPath}.` };
  return { ok: true, value };
}

const text = (
  key: keyof Values,
  label: string,
  placeholder: string,
  help: string,
  validate: (t: string, input: Input) => Validation<unknown>,
  initial: (v: Values) => string | undefined,
  when?: (input: Input, ctx: StepContext) => boolean,
): Field => ({
  kind: 'text',
  key,
  label,
  placeholder,
  help,
  when: (input, ctx) => changing(input) && (!when || when(input, ctx)),
  initial: (ctx) => initial(ctx.store.values),
  validate,
});

const fields: Field[] = [
  {
    kind: 'choice',
    key: 'ngrokSettings',
    label: 'ngrok settings',
    initial: () => 'keep',
    choices: [
      { value: 'keep', label: 'Leave them as they are' },
      { value: 'change', label: 'Change them', hint: 'session limits, allowed networks, headers, a second path' },
    ],
  },
  text(
    'sessionInactivity',
    'Log out after inactivity',
    '30m',
    "A duration like 30m or 12h; empty for ngrok's default.",
    (t) => duration(t, 'The inactivity timeout'),
    (v) => v.sessionInactivity,
  ),
  text(
    'sessionMaxDuration',
    'Maximum session',
    '24h',
    "After this, visitors log in again, however active; empty for ngrok's default.",
    (t) => duration(t, 'The maximum session'),
    (v) => v.sessionMaxDuration,
  ),
  text(
    'userinfoRefresh',
    'Refresh user info every',
    '15m',
    "How often ngrok asks FusionAuth about the user again; empty for ngrok's default.",
    (t) => duration(t, 'The user info refresh'),
    (v) => v.userinfoRefresh,
    (_input, ctx) => ctx.store.values.ngrokMode !== 'edge',
  ),
  text(
    'allowCidrs',
    'Allowed networks',
    '203.0.113.0/24, 2001:db8::/32',
    'Only visitors from these networks get to the login; empty for everyone.',
    (t) => cidrList(t),
    (v) => formatList(v.allowCidrs),
  ),
  text(
    'addHeaders',
    'Add headers',
    'X-Protected-By=ngrok; response:X-Frame-Options=DENY',
    'Name=value, separated by ";". Prefix response: for what visitors get; otherwise it is added to the request to your app (Host=… replaces its Host). Up to 10 each way, 5 in edge mode.',
    (t) => headerAdds(t),
    (v) => formatHeaderAdds(v.addHeaders),
  ),
  text(
    'removeHeaders',
    'Remove headers',
    'X-Powered-By; response:Server',
    'Header names, separated by ";"; prefix response: as above. Up to 10 each way, 5 in edge mode.',
    (t) => headerNames(t),
    (v) => formatList(v.removeHeaders, '; '),
  ),
  text(
    'secondPath',
    'Second app path',
    '/api',
    'Send this path to another app on this machine; empty for none.',
    (t) => pathPrefix(t),
    (v) => v.secondPath,
  ),
  text(
    'secondPort',
    'Second app port',
    '8001',
    'The port the second app listens on.',
    (t) => portNumber(t),
    (v) => (v.secondPort ? String(v.secondPort) : undefined),
    (input) => Boolean(input.secondPath?.trim()),
  ),
];

function describe(extras: Extras, mode: Values['ngrokMode']): Finding[] {
  const list: Finding[] = [];
  const sessions = [
    extras.sessionInactivity && `log out after ${extras.sessionInactivity} without a visit`,
    extras.sessionMaxDuration && `log in again after ${extras.sessionMaxDuration}`,
    mode !== 'edge' && extras.userinfoRefresh && `user info refreshed every ${extras.userinfoRefresh}`,
  ].filter(Boolean);
  if (sessions.length) list.push(finding.ok(`Sessions: ${sessions.join('; ')}`));
  if (mode === 'edge' && extras.userinfoRefresh)
    list.push(
      finding.info("The edge's OIDC module has no user info refresh: that setting applies in the other modes only."),
    );
  if (extras.allowCidrs.length)
    list.push(
      finding.ok(
        `Only ${extras.allowCidrs.join(', ')} get to the login (${mode === 'edge' ? 'IP restriction module' : 'restrict-ips'})`,
      ),
    );
  for (const [way, edits] of [
    ['request to your app', extras.request],
    ['response', extras.response],
  ] as const) {
    const parts = [...Object.entries(edits.add).map(([k, v]) => `+${k}: ${v}`), ...edits.remove.map((h) => `−${h}`)];
    if (parts.length) list.push(finding.ok(`Headers of the ${way}: ${parts.join(', ')}`));
  }
  if (extras.second) list.push(finding.ok(`${extras.second.path} goes to the app on port ${extras.second.port}`));
  if (!list.length) list.push(finding.ok('No extra ngrok settings: the login alone protects the site.'));
  return list;
}

/** Without an API key the settings are still stored; the user is told what to change by hand. */
async function applyByHand(ctx: StepContext, v: Values): Promise<Finding[]> {
  if (v.ngrokMode === 'endpoint') {
    const file = await writeWantedPolicy(ctx.store, issuerUrlFor(ctx)!, 'endpoint', v.endpointUrl!, v.internalUrl);
    return [
      finding.info(
        `The traffic policy in ${file} now has these settings.`,
        `ngrok dashboard → Endpoints → ${v.endpointUrl} → Traffic Policy: paste the file's contents again, and Save.`,
      ),
    ];
  }
  const extras = extrasFrom(v);
  const secondLabels = Object.entries(secondAppLabels(v.edgeId ?? '<edge id>', extras.second?.slug ?? '<app>'))
    .map(([k, val]) => `${k}=${val}`)
    .join(' and ');
  return [
    finding.info(
      'Without an ngrok API key these are set in the dashboard:',
      `Edges → your edge → route / → OIDC (Inactivity timeout, Maximum duration), IP Restriction (an IP policy with the networks), Request/Response headers; Add route ${v.secondPath ?? '/path'} with a tunnel group backend labelled ${secondLabels} (not edge=…: a tunnel carrying edge=<edge id> also serves /) for a second app.`,
    ),
  ];
}

export const ngrokNextSteps: NextStepsPart = {
  fields,
  instructions: (_ctx, input) =>
    changing(input)
      ? [
          'Each setting is applied to ngrok at once (route modules in edge mode, the traffic policy otherwise); empty means not set, so clearing a field removes that setting.',
        ]
      : [
          'OIDC session limits: make users re-authenticate, or expire a session after some inactivity.',
          'IP restrictions: combine the login with an allow-list of networks.',
          'Headers and paths: add or remove headers, and send other paths to other local applications.',
        ],
  async apply(ctx, input) {
    if (!changing(input)) return [];
    const parsed = parse(input);
    if (!parsed.ok) return [finding.error(parsed.message)];
    const p = parsed.value;
    if (p.secondPort && p.secondPort === sitePortFor(ctx))
      return [finding.error(`Port ${p.secondPort} is the site itself; the second app listens on another port.`)];
    const tooMany = headerCountProblem(
      extrasFrom({ addHeaders: p.addHeaders, removeHeaders: p.removeHeaders }),
      ctx.store.values.ngrokMode,
    );
    if (tooMany) return [finding.error(tooMany)];
    ctx.store.setValues({
      sessionInactivity: p.sessionInactivity,
      sessionMaxDuration: p.sessionMaxDuration,
      userinfoRefresh: p.userinfoRefresh,
      allowCidrs: p.allowCidrs.length ? p.allowCidrs : undefined,
      addHeaders: Object.keys(p.addHeaders).length ? p.addHeaders : undefined,
      removeHeaders: p.removeHeaders.length ? p.removeHeaders : undefined,
      secondPath: p.secondPath,
      secondPort: p.secondPath ? p.secondPort : undefined,
    });
    const v = ctx.store.values;
    const shown = describe(extrasFrom(v), v.ngrokMode);
    if (!v.ngrokMode || !v.endpointUrl || !issuerUrlFor(ctx) || !v.clientId)
      return [...shown, finding.info('Saved: Set Up ngrok Cloud Edge applies them when it runs.')];
    const key = v.ngrokMode === 'agent' ? undefined : ngrokKeyFor(ctx, v.ngrokApiKey);
    if (v.ngrokMode !== 'agent' && !key) return [...shown, ...(await applyByHand(ctx, v))];
    try {
      // FusionAuth published through ngrok is online while ngrok reads its discovery (steps/ngrok.ts).
      const done = await withFusionAuthPublished(ctx, () =>
        setUpNgrok({
          ...ngrokRunFrom(ctx),
          mode: v.ngrokMode!,
          key,
          domain: v.ngrokMode === 'agent' ? v.endpointUrl : undefined,
          internalUrl: v.internalUrl,
          answers: {},
          noInput: true,
        }),
      );
      return [...shown, ...done];
    } catch (error) {
      if (ctx.signal.aborted || !(error instanceof UserError)) throw error;
      const hint =
        error instanceof NeedsAnswer
          ? 'Run Set Up ngrok Cloud Edge again to answer it; the settings are saved.'
          : error.hint;
      return [
        ...shown,
        finding.error(describeError(error instanceof NeedsAnswer ? new UserError(error.message) : error), hint),
      ];
    }
  },
  summary: (v) => {
    const extras = extrasFrom(v);
    return [
      ...row(labelOf('sessionInactivity'), extras.sessionInactivity),
      ...row(labelOf('sessionMaxDuration'), extras.sessionMaxDuration),
      ...row(labelOf('userinfoRefresh'), v.ngrokMode === 'edge' ? undefined : extras.userinfoRefresh),
      ...row(labelOf('allowCidrs'), formatList(extras.allowCidrs)),
      ...row(labelOf('addHeaders'), formatHeaderAdds(v.addHeaders)),
      ...row(labelOf('removeHeaders'), formatList(v.removeHeaders, '; ')),
      ...row('Second app', extras.second ? `${extras.second.path} → port ${extras.second.port}` : undefined),
    ];
  },
};
