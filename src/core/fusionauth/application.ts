// The application ngrok logs users in with, kept in line the way FusionAuth's Terraform provider does
// it: read the whole object, compare with what the guide needs, PUT it back only when something
// differs (a rerun changes nothing that is right). Creates carry an id chosen here, so a create that is
// retried after a dropped answer finds its own application instead of making a second one; each
// application this tool creates is marked in its `data`, so a rerun after a crash can recognise it.
import { randomUUID } from 'node:crypto';
import type { Application, ClientAuthenticationPolicy, GrantType } from '@fusionauth/typescript-client';
import { UserError } from '../errors';
import { MAX_DIR_IN_MARK, whoseMark, type Whose } from '../ownership';
import type { SetupOwner } from '../store';
import { ANSWERS } from './answers';
import type { FusionAuthApi } from './client';
import { FusionAuthError } from './errors';

export const REQUIRED_GRANTS = ['authorization_code', 'refresh_token'] as const;
export const DEFAULT_APPLICATION_NAME = 'ngrok';
/** Written into `application.data` of every application this tool creates. */
export const CREATED_BY = 'ngrok-fusionauth';

const RETRIEVE = { action: 'reading the application', method: 'GET', endpoint: '/api/application' } as const;

/** What the guide needs of the application; fields left undefined are not looked at. */
export interface WantedApplication {
  name?: string;
  /** Authorization Code + Refresh Token enabled, client authentication required. */
  oauthGrants?: boolean;
  /** Must be among the authorized redirect URLs (the others are kept). */
  redirectUrl?: string;
  /** Must not be among them any more (old ones this tool added, which the person chose to remove). */
  removeRedirectUrls?: readonly string[];
  requireRegistration?: boolean;
}

/**
 * Whose an application is, by the mark in its `data`: `createdBy` (this tool), `setupId` and
 * `configDir` (the setup that made it; applications made before setup ids have only `createdBy`).
 */
export function whoseApplication(app: Application, owner: SetupOwner): Whose {
  const data = app.data as Record<string, unknown> | undefined;
  return whoseMark(
    data && { tool: data['createdBy'], setupId: data['setupId'], dir: data['configDir'] },
    CREATED_BY,
    owner,
  );
}

export const clientIdOf = (app: Application): string => app.oauthConfiguration?.clientId ?? app.id ?? '';
export const clientSecretOf = (app: Application): string => app.oauthConfiguration?.clientSecret ?? '';

/** The application, or undefined when FusionAuth does not have it (404: deleted, or another tenant). */
export async function retrieveApplication(api: FusionAuthApi, id: string): Promise<Application | undefined> {
  try {
    const answer = await api.call(RETRIEVE, (c) => c.retrieveApplication(id), { answer: ANSWERS.application });
    return answer.application;
  } catch (error) {
    if (error instanceof FusionAuthError && error.status === 404) return undefined;
    throw error;
  }
}

/** Applications of the tenant with exactly this name (FusionAuth's search matches parts of names). */
export async function findByName(
  api: FusionAuthApi,
  name: string,
  tenantId: string | undefined,
): Promise<Application[]> {
  const answer = await api.call(
    { action: 'searching applications by name', method: 'POST', endpoint: '/api/application/search' },
    (c) => c.searchApplications({ search: { name, numberOfResults: 100 } }),
    { answer: ANSWERS.applications },
  );
  const wanted = name.toLowerCase();
  return (answer.applications ?? []).filter(
    (app) => app.name?.toLowerCase() === wanted && (!tenantId || !app.tenantId || app.tenantId === tenantId),
  );
}

/** What differs from the wanted state, in words ("enable the Refresh Token grant"); empty when in line. */
export function applicationDrift(app: Application, wanted: WantedApplication): string[] {
  const oauth = app.oauthConfiguration ?? {};
  const drift: string[] = [];
  if (app.active === false) drift.push('reactivate it');
  if (wanted.name !== undefined && app.name !== wanted.name) drift.push(`rename it to "${wanted.name}"`);
  if (wanted.oauthGrants) {
    const grants: readonly string[] = oauth.enabledGrants ?? [];
    for (const grant of REQUIRED_GRANTS)
      if (!grants.includes(grant))
        drift.push(`enable the ${grant === 'authorization_code' ? 'Authorization Code' : 'Refresh Token'} grant`);
    if (oauth.clientAuthenticationPolicy !== undefined && oauth.clientAuthenticationPolicy !== 'Required')
      drift.push('require client authentication');
    else if (oauth.clientAuthenticationPolicy === undefined && oauth.requireClientAuthentication === false)
      drift.push('require client authentication');
  }
  if (wanted.redirectUrl !== undefined && !(oauth.authorizedRedirectURLs ?? []).includes(wanted.redirectUrl))
    drift.push(`add ${wanted.redirectUrl} to the authorized redirect URLs`);
  for (const url of wanted.removeRedirectUrls ?? [])
    if ((oauth.authorizedRedirectURLs ?? []).includes(url))
      drift.push(`remove ${url} from the authorized redirect URLs`);
  if (wanted.requireRegistration !== undefined && (oauth.requireRegistration ?? false) !== wanted.requireRegistration)
    drift.push(wanted.requireRegistration ? 'require registration' : 'stop requiring registration');
  return drift;
}

/** The application with the wanted state laid over it; everything else (other URLs, grants, roles) kept. */
export function inLine(app: Application, wanted: WantedApplication): Application {
  const next: Application = structuredClone(app);
  const oauth = (next.oauthConfiguration ??= {});
  if (wanted.name !== undefined) next.name = wanted.name;
  if (wanted.oauthGrants) {
    const grants = oauth.enabledGrants ?? [];
    oauth.enabledGrants = [
      ...grants,
      ...REQUIRED_GRANTS.filter((g) => !(grants as readonly string[]).includes(g)),
    ] as GrantType[];
    oauth.clientAuthenticationPolicy = 'Required' as ClientAuthenticationPolicy;
    oauth.requireClientAuthentication = true;
  }
  if (wanted.redirectUrl !== undefined) {
    const urls = oauth.authorizedRedirectURLs ?? [];
    if (!urls.includes(wanted.redirectUrl)) oauth.authorizedRedirectURLs = [...urls, wanted.redirectUrl];
  }
  if (wanted.removeRedirectUrls?.length)
    oauth.authorizedRedirectURLs = (oauth.authorizedRedirectURLs ?? []).filter(
      (u) => !wanted.removeRedirectUrls!.includes(u),
    );
  if (wanted.requireRegistration !== undefined) oauth.requireRegistration = wanted.requireRegistration;
  return next;
}

export interface Converged {
  application: Application;
  /** What was changed; empty when the application already held everything (no call was made). */
  changed: string[];
}

/** Read–compare–PUT: a PUT of the whole object only when something differs. */
export async function converge(api: FusionAuthApi, app: Application, wanted: WantedApplication): Promise<Converged> {
  const changed = applicationDrift(app, wanted);
  if (!changed.length) return { application: app, changed };
  const id = app.id!;
  if (app.active === false) {
    await api.call(
      { action: 'reactivating the application', method: 'PUT', endpoint: '/api/application' },
      (c) => c.reactivateApplication(id),
      { answer: ANSWERS.application },
    );
  }
  const others = changed.filter((c) => c !== 'reactivate it');
  if (!others.length) return { application: (await retrieveApplication(api, id)) ?? app, changed };
  const answer = await api.call(
    { action: 'updating the application', method: 'PUT', endpoint: '/api/application' },
    (c) => c.updateApplication(id, { application: { ...inLine(app, wanted), active: true } }),
    { answer: ANSWERS.application },
  );
  if (!answer.application) throw new UserError(`FusionAuth returned no application after updating ${id}.`);
  return { application: answer.application, changed };
}

/**
 * POST /api/application/{id} with an id chosen here. `onCreated` runs the moment FusionAuth answers,
 * before anything else, so the caller records the id at once. A retried create whose first attempt did
 * land meets `[duplicate]applicationId`: that application is ours, and is returned.
 */
export async function createApplication(
  api: FusionAuthApi,
  name: string,
  owner: SetupOwner,
  onCreated: (app: Application) => void,
): Promise<Application> {
  const id = randomUUID();
  const request = {
    application: {
      name,
      data: { createdBy: CREATED_BY, setupId: owner.setupId, configDir: owner.dir.slice(0, MAX_DIR_IN_MARK) },
      oauthConfiguration: {
        enabledGrants: [...REQUIRED_GRANTS] as GrantType[],
        clientAuthenticationPolicy: 'Required' as ClientAuthenticationPolicy,
        authorizedRedirectURLs: [],
      },
    },
  };
  let created: Application | undefined;
  try {
    created = (
      await api.call(
        { action: 'creating the application', method: 'POST', endpoint: '/api/application' },
        (c) => c.createApplication(id, request),
        { answer: ANSWERS.application },
      )
    ).application;
  } catch (error) {
    // A retry whose first attempt landed is refused as a duplicate (of the id, or of the name if
    // FusionAuth checks that first): if the application with our id exists, it is that one.
    if (!(
      error instanceof FusionAuthError &&
      (error.has('[duplicate]applicationId') || error.has('[duplicate]application.name'))
    ))
      throw error;
    created = await retrieveApplication(api, id);
    if (!created) throw error;
  }
  if (!created?.id)
    throw new UserError(`FusionAuth did not return the application it created (${id}).`, {
      hint: 'Run the step again: it finds the application by its name.',
    });
  onCreated(created);
  return created;
}

/**
 * Sets the application's client secret to `secret` (rotate-secret, and its rollback). FusionAuth has no
 * "regenerate" call in its API (the admin UI's Regenerate button fills the form field): the value is
 * given, and "For both POST and PUT you can provide a value and it will be stored"
 * (https://fusionauth.io/docs/apis/applications, `application.oauthConfiguration.clientSecret`). PATCH
 * changes that one field and keeps the rest of the application as it is.
 */
export async function setClientSecret(api: FusionAuthApi, id: string, secret: string): Promise<void> {
  const answer = await api.call(
    { action: 'setting the client secret', method: 'PATCH', endpoint: '/api/application' },
    (c) => c.patchApplication(id, { application: { oauthConfiguration: { clientSecret: secret } } }),
    { answer: ANSWERS.application },
  );
  if (answer.application && clientSecretOf(answer.application) !== secret)
    throw new UserError(`FusionAuth did not keep the new client secret of the application ${id}.`);
}
