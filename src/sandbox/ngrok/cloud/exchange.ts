// One public request on its way through the cloud: the request, the headers that will go upstream
// (policies edit them), edits to apply to the response, and the signed-in identity once known.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { CelRequest } from '../policy/cel';
import type { Identity, TemplateContext } from '../policy/template';
import type { GateRequest } from './oidc';

export interface Exchange extends GateRequest {
  clientIp: string;
  headers: IncomingHttpHeaders;
  responseOps: Array<(headers: OutgoingHttpHeaders) => void>;
  identity?: Identity;
}

export function celRequest(ex: Exchange): CelRequest {
  return {
    method: ex.req.method ?? 'GET',
    path: ex.url.pathname,
    query: ex.url.search.replace(/^\?/, ''),
    host: ex.host,
    clientIp: ex.clientIp,
  };
}

export function templateContext(ex: Exchange): TemplateContext {
  return { ...celRequest(ex), identity: ex.identity };
}
