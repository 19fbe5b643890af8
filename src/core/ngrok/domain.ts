// The reserved domain the site lives on: the one typed, else the one stored, else one picked from the
// account's domains (a question), else a new one. Never reserves a second domain for the same run.
import { finding, type Finding } from '../findings';
import type { NgrokApi, ReservedDomain } from './api';
import { NEW_DOMAIN, NeedsAnswer, findOrCreate, mark, othersObject, whose, type Answers } from './ownership';
import type { Store } from '../store';

export interface DomainRequest {
  /** Typed on the screen (a host name); wins over everything. */
  typed?: string;
  answers: Answers;
  /** Without a prompt, the account's only domain is taken rather than asked about. */
  noInput?: boolean;
}

export async function resolveDomain(
  api: NgrokApi,
  store: Store,
  request: DomainRequest,
): Promise<{ domain: string; findings: Finding[] }> {
  const stored = store.values.domain;
  const picked = request.answers.domain && request.answers.domain !== NEW_DOMAIN ? request.answers.domain : undefined;
  const wanted = request.typed || picked || stored;
  const all = await api.listReservedDomains();
  const byName = (name: string) => all.find((d) => d.domain === name);
  const owner = store.owner();
  const recordId = (id: string) => store.recordObject({ kind: 'ngrok-reserved-domain', id });
  /**
   * A domain on the account: this setup's is recorded (again), the person's own is used, another
   * setup's is a question, or with --create-new `false` (the caller reserves a new one when it can).
   */
  const take = (rd: ReservedDomain, canCreateBeside: boolean): boolean => {
    const who = whose(rd.metadata, owner);
    if (who.kind === 'mine') recordId(rd.id);
    if (who.kind === 'mine' || who.kind === 'not-ours') return true;
    return othersObject(`The domain ${rd.domain}`, who, request.answers, canCreateBeside) === 'use';
  };

  if (wanted) {
    const existing = byName(wanted);
    if (existing) {
      take(existing, false);
      return { domain: wanted, findings: [finding.ok(`Domain ${wanted} (reserved on your account)`)] };
    }
    // The stored domain vanished (released in the dashboard): reserving it again needs the user's word.
    if (!request.typed && !picked && !request.answers.recreate) {
      throw new NeedsAnswer(
        { kind: 'recreate', missing: [`The domain ${wanted}`] },
        `The domain ${wanted}, stored from an earlier run, is no longer reserved on your ngrok account.`,
        'It can be reserved again.',
      );
    }
    const { item, how } = await findOrCreate(
      api,
      async () => (await api.listReservedDomains()).find((d) => d.domain === wanted),
      () => api.createReservedDomain(wanted, mark(owner, 'the protected site', wanted)),
      recordId,
      { what: `The domain ${wanted}`, owner, answers: request.answers, canCreateBeside: false },
    );
    return {
      domain: item.domain,
      findings: [finding.ok(`Domain ${item.domain} ${how === 'created' ? 'reserved' : 'found'}`)],
    };
  }

  let newOne = request.answers.domain === NEW_DOMAIN || all.length === 0;
  // Without a prompt the account's only domain is taken, unless another setup owns it and --create-new says to make this setup its own.
  if (!newOne && request.noInput && all.length === 1) {
    if (take(all[0]!, true))
      return {
        domain: all[0]!.domain,
        findings: [finding.ok(`Domain ${all[0]!.domain} (the only one on your account)`)],
      };
    newOne = true;
  }
  if (!newOne) {
    throw new NeedsAnswer(
      { kind: 'pick-domain', domains: all.map((d) => d.domain) },
      `Your ngrok account has ${all.length} domain${all.length === 1 ? '' : 's'}; the site needs one.`,
      'Pick one, or reserve a new one (a random name on ngrok.app).',
    );
  }
  // A new random name: nothing to look for first, so the create is not retried.
  const rd = await api.createReservedDomain(undefined, mark(owner, 'the protected site', ''));
  recordId(rd.id);
  return { domain: rd.domain, findings: [finding.ok(`Domain ${rd.domain} reserved`)] };
}
