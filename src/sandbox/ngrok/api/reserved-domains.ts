// /reserved_domains: create (a random NAME.ngrok.app when no domain is given), get, list, update, delete.
import { errors } from '../errors';
import { newId, randomName } from '../ids';
import { nowRfc3339, type ReservedDomain } from '../model';
import { created, noContent, ok, type ApiDeps, mustGet } from './context';
import { checkReservePlan, isNgrokDomain } from '../plan';
import { paginate } from './paging';
import type { Router } from './router';
import { describe, isHostname, optObject, optString } from './validate';

const PATH = '/reserved_domains';

function certPolicy(body: Record<string, unknown>): ReservedDomain['certificate_management_policy'] | undefined {
  const policy = optObject(body, 'certificate_management_policy');
  if (policy === undefined) return undefined;
  if (policy === null) return null;
  const authority = optString(policy, 'authority') ?? 'letsencrypt';
  const keyType = optString(policy, 'private_key_type') ?? 'ecdsa';
  if (authority !== 'letsencrypt')
    throw errors.invalid(
      `The certificate authority '${authority}' is not supported; the only supported value is letsencrypt.`,
    );
  if (keyType !== 'rsa' && keyType !== 'ecdsa')
    throw errors.invalid(`The private key type '${keyType}' is invalid: use rsa or ecdsa.`);
  return { authority, private_key_type: keyType };
}

/** The account's dev domain is listed among its reserved domains, as on ngrok (is_dev: true). */
export function ensureDevDomain(account: ApiDeps['account']): void {
  if (account.reservedDomainFor(account.devDomain)) return;
  const id = newId('rd');
  account.reservedDomains.set(id, { ...blank(id, account.devDomain), description: 'Your dev domain', is_dev: true });
}

function blank(id: string, domain: string): ReservedDomain {
  return {
    id,
    uri: `${PATH}/${id}`,
    created_at: nowRfc3339(),
    description: '',
    metadata: '',
    domain,
    region: '',
    // ngrok-owned suffixes need no CNAME; anything else is a custom domain with a cname_target.
    cname_target: isNgrokDomain(domain) ? null : `${randomName(17)}.${randomName(16)}.ngrok-cname.com`,
    certificate: null,
    certificate_management_policy: null,
    certificate_management_status: null,
    acme_challenge_cname_target: null,
    is_dev: false,
  };
}

export function reservedDomainRoutes(router: Router, { account, flags }: ApiDeps): void {
  const find = (id: string) => mustGet(account.reservedDomains, id);

  router.add('POST', PATH, ({ body }) => {
    checkReservePlan(flags.plan);
    const { description, metadata } = describe(body);
    const region = optString(body, 'region') ?? '';
    if (optString(body, 'certificate_id')) throw errors.unsupported('Uploaded TLS certificates (certificate_id)');
    const policy = certPolicy(body);
    const domain = (optString(body, 'domain') || `${randomName(8)}.ngrok.app`).toLowerCase();
    if (domain.startsWith('*.')) throw errors.unsupported('Wildcard domains');
    if (!isHostname(domain)) throw errors.invalid(`The domain '${domain}' is not a valid hostname.`);
    if (account.reservedDomainFor(domain)) throw errors.domainAlreadyReserved(domain);
    const id = newId('rd');
    const rd = {
      ...blank(id, domain),
      description: description ?? '',
      metadata: metadata ?? '',
      region,
      certificate_management_policy: policy ?? null,
    };
    account.reservedDomains.set(id, rd);
    return created(rd);
  });

  router.add('GET', PATH, ({ query }) => paginate(account.reservedDomains.values(), query, PATH, 'reserved_domains'));
  router.add('GET', `${PATH}/{id}`, ({ params }) => ok(find(params.id!)));

  router.add('PATCH', `${PATH}/{id}`, ({ params, body }) => {
    const rd = find(params.id!);
    const { description, metadata } = describe(body);
    if (optString(body, 'certificate_id')) throw errors.unsupported('Uploaded TLS certificates (certificate_id)');
    const policy = certPolicy(body);
    if (description !== undefined) rd.description = description;
    if (metadata !== undefined) rd.metadata = metadata;
    if (policy !== undefined) rd.certificate_management_policy = policy;
    return ok(rd);
  });

  router.add('DELETE', `${PATH}/{id}`, ({ params }) => {
    const rd = find(params.id!);
    if (rd.is_dev) throw errors.invalid('The dev domain of an account cannot be deleted.');
    account.reservedDomains.delete(rd.id);
    return noContent;
  });

  for (const sub of ['certificate', 'certificate_management_policy']) {
    router.add('DELETE', `${PATH}/{id}/${sub}`, ({ params }) => {
      const rd = find(params.id!);
      if (sub === 'certificate') rd.certificate = null;
      else rd.certificate_management_policy = null;
      return noContent;
    });
  }
}
