// The reserved domain the site lives on: the one typed, else the one stored, else one picked from the
// account's domains (a question), else a new one. Never reserves a second domain for the same run.
import { UserError } from '../errors';
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
  /** Domains other profiles' setups hold (host name → profile): never picked, refused when asked for. */
  taken?: ReadonlyMap<string, string>;
}

/**
 * Two sites cannot share a public URL: the second setup would adopt the first one's endpoint or edge,
 * rewrite its login, and `destroy` of either would delete the other's. So a domain another profile
 * (core/store/profiles.ts) holds is refused, with the way out.
 */
export function refuseOtherProfilesDomain(domain: string, taken: ReadonlyMap<string, string> | undefined): void {
  const owner = taken?.get(domain.toLowerCase());
  if (!owner) return;
  throw new UserError(`${domain} is the public URL of the setup in profile ${owner}: two sites cannot share one.`, {
    hint: `Give this site a domain of its own (--url https://…, another domain of your ngrok account), or work on that site with --profile ${owner}.`,
  });
}

export async function resolveDomain(
  api: NgrokApi,
  store: Store,
  request: DomainRequest,
): Promise<{ domain: string; findings: Finding[] }> {
  const stored = store.values.domain;
  const picked = request.answers.domain && request.answers.domain !== NEW_DOMAIN ? request.answers.domain : undefined;
  const wanted = request.typed || picked || stored;
  if (wanted) refuseOtherProfilesDomain(wanted, request.taken);
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

  // The domains other profiles hold are theirs: offered neither as "the only one" nor in the list.
  const free = all.filter((d) => !request.taken?.has(d.domain.toLowerCase()));
  let newOne = request.answers.domain === NEW_DOMAIN || free.length === 0;
  // Without a prompt the account's only free domain is taken, unless another setup owns it and --create-new says to make this setup its own.
  if (!newOne && request.noInput && free.length === 1) {
    if (take(free[0]!, true))
      return {
        domain: free[0]!.domain,
        findings: [
          finding.ok(
            `Domain ${free[0]!.domain} (the only one on your account${free.length < all.length ? ' that no other profile holds' : ''})`,
          ),
        ],
      };
    newOne = true;
  }
  if (!newOne) {
    throw new NeedsAnswer(
      { kind: 'pick-domain', domains: free.map((d) => d.domain) },
      `Your ngrok account has ${free.length} domain${free.length === 1 ? '' : 's'}${free.length < all.length ? ' no other profile holds' : ''}; the site needs one.`,
      'Pick one, or reserve a new one (a random name on ngrok.app).',
    );
  }
  // A new random name: nothing to look for first, so the create is not retried.
  const rd = await api.createReservedDomain(undefined, mark(owner, 'the protected site', ''));
  recordId(rd.id);
  return { domain: rd.domain, findings: [finding.ok(`Domain ${rd.domain} reserved`)] };
}
