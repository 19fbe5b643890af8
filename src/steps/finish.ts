// Finishing Up With FusionAuth: ngrok's redirect URI in the application's Authorized redirect URLs.
// By hand: the user adds it and the wizard checks. With an API key: read the application, add the URI
// to the list (every URL already there kept), PUT it back, read it back — then the same check.
import { probeAuthorize } from '../core/fusionauth';
import { converge, retrieveApplication } from '../core/fusionauth';
import { hasFusionAuthKey } from '../core/fusionauth';
import { openSession } from '../core/fusionauth';
import { errorFinding, finding, hasErrors, type Finding } from '../core/findings';
import { REDIRECT_URI_FIX, fusionauthUrlFor, redirectUriChoice, redirectUriFor } from '../core/settings';
import { row, type Input, type Question, type Step, type StepContext } from './types';
import { SECTION_EXPLAIN, SECTION_TITLES } from './catalog';

/** Whether FusionAuth accepts the redirect URI; `missingRedirect` when the reason is that it is not listed. */
async function verify(ctx: StepContext): Promise<{ done: boolean; findings: Finding[]; missingRedirect?: boolean }> {
  const url = fusionauthUrlFor(ctx);
  const { clientId } = ctx.store.values;
  if (!url || !clientId)
    return {
      done: false,
      findings: [finding.error('The FusionAuth URL and Client Id are needed first.', 'Finish Set Up FusionAuth.')],
    };
  const redirect = redirectUriFor(ctx);
  try {
    const verdict = await probeAuthorize(url, clientId, redirect, ctx.signal);
    if (verdict.ok) return { done: true, findings: [finding.ok(`FusionAuth accepts ${redirect} as a redirect URI`)] };
    const missingRedirect = verdict.reason === 'invalid_redirect_uri';
    return {
      done: false,
      missingRedirect,
      findings: [
        finding.error(
          verdict.message,
          missingRedirect ? `Add ${redirect} to the Authorized redirect URLs and Save.` : undefined,
        ),
      ],
    };
  } catch (error) {
    return { done: false, findings: [errorFinding(error)] };
  }
}

/** The question for old redirect URLs this tool added: kept unless the person says so (--no-input keeps them). */
const REMOVE_OLD = 'removeOldRedirects';
function removeOldQuestion(stale: readonly string[]): Question {
  return {
    key: REMOVE_OLD,
    prompt: `The redirect URI changed. Remove ${stale.join(', ')}, which this tool added before, from the Authorized redirect URLs?`,
    choices: [
      { key: 'k', label: 'keep it', value: 'keep' },
      { key: 'r', label: 'remove it', value: 'remove' },
    ],
    noInputAnswer: 'keep',
  };
}

/**
 * Read–edit–PUT of the redirect URL list, then read back: the URI is there and nothing was lost. A URL
 * this tool adds is recorded (created.fusionauthRedirectUrls), so that when the redirect URI changes,
 * the old one can be offered for removal: only those, never a URL someone else put there.
 */
async function addRedirectUrl(
  ctx: StepContext,
  redirect: string,
  input: Input,
): Promise<{ findings: Finding[]; question?: Question }> {
  const { clientId, tenantId } = ctx.store.values;
  const { api } = await openSession(ctx, fusionauthUrlFor(ctx), tenantId);
  const app = await retrieveApplication(api, clientId!);
  if (!app)
    return {
      findings: [
        finding.error(
          `FusionAuth has no application ${clientId} (any more).`,
          'Go back to Set Up FusionAuth: it creates the application again.',
        ),
      ],
    };
  const before = app.oauthConfiguration?.authorizedRedirectURLs ?? [];
  const ours = ctx.store.created.fusionauthRedirectUrls ?? [];
  const stale = ours.filter((u) => u !== redirect && before.includes(u));
  if (stale.length && input[REMOVE_OLD] === undefined) return { findings: [], question: removeOldQuestion(stale) };
  const remove = input[REMOVE_OLD] === 'remove' ? stale : [];
  // Recorded before the update, so that a run killed after FusionAuth saved it still knows the URL is ours.
  const added = !before.includes(redirect);
  if (added && !ours.includes(redirect)) ctx.store.setCreated({ fusionauthRedirectUrls: [...ours, redirect] });
  const { changed } = await converge(api, app, { redirectUrl: redirect, removeRedirectUrls: remove });
  const after = (await retrieveApplication(api, clientId!))?.oauthConfiguration?.authorizedRedirectURLs ?? [];
  // Read back, what is ours is what is still listed: removed ones (and updates that never landed) drop out.
  const recorded = ctx.store.created.fusionauthRedirectUrls ?? [];
  const listed = recorded.filter((u) => after.includes(u));
  if (listed.length !== recorded.length)
    ctx.store.setCreated({ fusionauthRedirectUrls: listed.length ? listed : undefined });
  const lost = before.filter((u) => !after.includes(u) && !remove.includes(u));
  const findings = [
    added && changed.some((c) => c.startsWith('add '))
      ? finding.ok(`Added ${redirect} to the Authorized redirect URLs of "${app.name}"`)
      : finding.ok(`${redirect} is already an Authorized redirect URL of "${app.name}"`),
  ];
  for (const url of remove)
    if (!after.includes(url))
      findings.push(finding.ok(`Removed ${url} from the Authorized redirect URLs of "${app.name}"`));
  if (!after.includes(redirect))
    findings.push(
      finding.error(
        `Read back, the application's Authorized redirect URLs do not contain ${redirect}.`,
        'Add it by hand (Applications → edit → OAuth tab) and Save.',
      ),
    );
  else if (lost.length)
    findings.push(
      finding.error(
        `Read back, the Authorized redirect URLs lost ${lost.join(', ')}.`,
        'Add them back by hand (Applications → edit → OAuth tab).',
      ),
    );
  else findings.push(finding.ok(`Read back: ${after.join(', ')}`));
  return { findings };
}

/** What the instructions say the redirect URI is, or why NGROK_OIDC_REDIRECT_URI is refused (a screen must still draw). */
function shownRedirect(ctx: StepContext): string {
  const choice = redirectUriChoice(ctx);
  return choice.ok ? choice.value : `(${choice.message} ${REDIRECT_URI_FIX})`;
}

export const finish: Step = {
  id: 'finish',
  title: SECTION_TITLES.finish,
  explain: SECTION_EXPLAIN.finish,
  instructions: (ctx) =>
    hasFusionAuthKey(ctx)
      ? [
          `The wizard adds ${shownRedirect(ctx)} to the Authorized redirect URLs of the application ${ctx.store.values.clientId ?? ''}, keeping the URLs already there, and reads them back.`,
          "Then it asks FusionAuth whether it accepts the redirect URI, as ngrok's login will.",
        ]
      : [
          `In FusionAuth, edit the application ${ctx.store.values.clientId ?? ''} → OAuth tab.`,
          `Add ${shownRedirect(ctx)} to the Authorized redirect URLs field.`,
          'Save the updated configuration, then press Enter: the wizard asks FusionAuth whether it accepts it.',
        ],
  fields: [],
  submitLabel: (ctx) => (hasFusionAuthKey(ctx) ? 'add it' : 'check now'),
  async check(ctx) {
    const { done, findings, missingRedirect } = await verify(ctx);
    // With a key, "not there yet" is what this step is about to fix, not an error to act on.
    if (missingRedirect && hasFusionAuthKey(ctx))
      return {
        done: false,
        findings: [finding.info(`${redirectUriFor(ctx)} is not an Authorized redirect URL yet: Enter adds it.`)],
      };
    return { done, findings };
  },
  async apply(ctx, input) {
    const redirect = redirectUriFor(ctx);
    const automated =
      hasFusionAuthKey(ctx) && ctx.store.values.clientId
        ? await addRedirectUrl(ctx, redirect, input)
        : { findings: [] };
    if (automated.question) return { status: 'ask', question: automated.question, findings: automated.findings };
    ctx.store.setValues({ redirectUri: redirect });
    const added = automated.findings;
    const result = await verify(ctx);
    const findings = [...added, ...result.findings];
    return { status: result.done && !hasErrors(findings) ? 'done' : 'failed', findings };
  },
  summary: (v) => row('Authorized redirect URL', v.redirectUri, false, 'redirectUri'),
};
