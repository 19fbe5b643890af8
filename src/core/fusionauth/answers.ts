// The shape of every FusionAuth answer this tool reads (FusionAuthApi.call checks each before it is
// used): the fields read anywhere in this folder, with the types FusionAuth's API reference gives them
// (shared/reference/fusionauth-openapi.yaml: VersionResponse, TenantResponse, ApplicationResponse,
// ApplicationSearchResponse, WebhookResponse, UserResponse). Ids are required where one is acted on.
import { bool, fields, list, mapOf, num, someObject, text, type Shape } from '../http';

const createdByData = fields({ createdBy: text });

const tenant = fields(
  {
    id: text,
    name: text,
    issuer: text,
    eventConfiguration: fields({ events: mapOf(fields({ enabled: bool, transactionType: text })) }),
  },
  ['id'],
);

const application = fields(
  {
    id: text,
    name: text,
    tenantId: text,
    active: bool,
    data: createdByData,
    oauthConfiguration: fields({
      clientId: text,
      clientSecret: text,
      enabledGrants: list(text),
      clientAuthenticationPolicy: text,
      requireClientAuthentication: bool,
      authorizedRedirectURLs: list(text),
      requireRegistration: bool,
    }),
  },
  ['id'],
);

const webhook = fields(
  {
    id: text,
    url: text,
    global: bool,
    tenantIds: list(text),
    eventsEnabled: mapOf(bool),
    connectTimeout: num,
    readTimeout: num,
    data: createdByData,
  },
  ['id'],
);

export const ANSWERS = {
  version: fields({ version: text }),
  tenants: fields({ tenants: list(tenant) }),
  tenant: fields({ tenant }),
  application: fields({ application }),
  applications: fields({ applications: list(application) }),
  webhook: fields({ webhook }),
  webhooks: fields({ webhooks: list(webhook) }),
  user: fields({ user: fields({ id: text }) }),
  /** An answer whose content is not read (a PATCH, a registration): that it is an object is all. */
  unread: someObject,
} as const satisfies Record<string, Shape>;
