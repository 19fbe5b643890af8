// The management API server (NGROK_API_URL): authentication as ngrok checks it (an API key, never
// the agent authtoken), the Ngrok-Version header, the per-account rate limit, ngrok's error JSON,
// and 204 with an empty body for deletes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiTapCounter } from '../../api-tap';
import { errorBody, errors, NgrokError } from '../errors';
import { closeServer, listen } from '../../net';
import { newId } from '../ids';
import { backendRoutes } from './backends';
import type { ApiDeps } from './context';
import { edgeRouteRoutes } from './edge-routes';
import { edgeRoutes } from './edges';
import { endpointRoutes } from './endpoints';
import { ipPolicyRoutes } from './ip-policies';
import { reservedDomainRoutes } from './reserved-domains';
import { Router, type Reply } from './router';
import { tunnelRoutes } from './tunnels';
import { vaultRoutes } from './vaults';

export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface ApiServerOptions extends ApiDeps {
  port?: number;
  /** Fail when `port` is taken (an explicit choice) instead of falling back to any free port. */
  strictPort?: boolean;
  rateLimit: RateLimit;
  /** Runs after every successful change, before the answer: persist, open listeners for new hosts. */
  afterChange: () => Promise<void>;
  /** Tests watch (and hold) each request here; see ../../api-tap.ts. */
  tap?: ApiTapCounter;
}

export interface ApiServer {
  url: string;
  port: number;
  setRateLimit(limit: RateLimit): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function buildRouter(deps: ApiDeps): Router {
  const router = new Router();
  reservedDomainRoutes(router, deps);
  edgeRoutes(router, deps);
  edgeRouteRoutes(router, deps);
  backendRoutes(router, deps);
  endpointRoutes(router, deps);
  ipPolicyRoutes(router, deps);
  tunnelRoutes(router, deps);
  vaultRoutes(router, deps);
  return router;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw errors.invalid('The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw errors.invalid('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw errors.invalid('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Stored `uri`s are API paths; answers carry absolute URIs. Empty description/metadata are omitted, as ngrok omits them. */
function serialize(body: unknown, base: string): string {
  return JSON.stringify(body, (key, value: unknown) => {
    if ((key === 'uri' || key === 'next_page_uri') && typeof value === 'string' && value.startsWith('/'))
      return base + value;
    if ((key === 'description' || key === 'metadata') && value === '') return undefined;
    return value;
  });
}

class RateLimiter {
  private hits: number[] = [];
  constructor(public limit: RateLimit) {}
  /** Records a request; false when it is over the limit. */
  take(now = Date.now()): boolean {
    this.hits = this.hits.filter((t) => now - t < this.limit.windowMs);
    if (this.hits.length >= this.limit.max) return false;
    this.hits.push(now);
    return true;
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const router = buildRouter(options);
  const limiter = new RateLimiter(options.rateLimit);
  let base = '';

  const authenticate = (req: IncomingMessage): void => {
    const header = req.headers.authorization;
    if (!header) throw errors.noAuthorization();
    const m = /^(Bearer|Basic)\s+(\S+)$/i.exec(header);
    if (!m) throw errors.badAuthorization(header);
    let token = m[2]!;
    // Basic: ngrok accepts the key as the username (curl -u KEY:).
    if (m[1]!.toLowerCase() === 'basic') token = Buffer.from(token, 'base64').toString('utf8').split(':')[0] ?? '';
    if (token === options.account.apiKey) return;
    if (token === options.account.authtoken) throw errors.authtokenAsApiKey(token);
    throw errors.invalidApiKey(token);
  };

  const checkVersion = (req: IncomingMessage): void => {
    const version = req.headers['ngrok-version'];
    if (version === undefined || version === '') throw errors.noVersion();
    if (version !== '2') throw errors.badVersion(String(version));
  };

  const handle = async (req: IncomingMessage): Promise<Reply> => {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    authenticate(req);
    checkVersion(req);
    if (!limiter.take()) {
      const seconds = Math.round(limiter.limit.windowMs / 1000);
      throw errors.rateLimited(limiter.limit.max, seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);
    }
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    const match = router.match(method, path);
    if (match === undefined) throw errors.notFound();
    if (match === 'method') throw errors.methodNotAllowed();
    const body = method === 'POST' || method === 'PATCH' || method === 'PUT' ? await readJson(req) : {};
    const reply = await match.handler({ method, path, params: match.params, query: url.searchParams, body });
    if (method !== 'GET' && reply.status < 300) await options.afterChange();
    return reply;
  };

  /** The status, headers and body to answer with; errors become ngrok's error JSON. */
  const answerFor = async (
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string | number>; text?: string }> => {
    const operationId = newId('op');
    try {
      const reply = await handle(req);
      if (reply.status === 204 || reply.body === undefined) return { status: reply.status, headers: {} };
      const text = serialize(reply.body, base);
      return {
        status: reply.status,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        text,
      };
    } catch (error) {
      const ngrokError =
        error instanceof NgrokError
          ? error
          : new NgrokError(500, undefined, `An internal server error occurred: ${(error as Error).message}`);
      const text = JSON.stringify(errorBody(ngrokError, operationId));
      const headers: Record<string, string | number> = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      };
      if (ngrokError.status === 429) headers['retry-after'] = String(Math.ceil(limiter.limit.windowMs / 1000));
      // Drain an unread body so the connection stays usable for keep-alive clients.
      req.resume();
      return { status: ngrokError.status, headers, text };
    }
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A tap (tests) may hold the call, drop it (no answer at all), or hold only its answer.
    const turn = options.tap ? await options.tap.arrive('ngrok', req).catch(() => undefined) : undefined;
    if (options.tap && !turn) return void res.destroy();
    const answer = await answerFor(req);
    await turn?.answering();
    res.writeHead(answer.status, answer.headers).end(answer.text);
    turn?.answered(answer.status);
  };

  const server: Server = createServer(
    (req: IncomingMessage, res: ServerResponse) => void serve(req, res).catch(() => res.destroy()),
  );

  const port = await listen(server, options.port, options.strictPort);
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    setRateLimit: (limit) => (limiter.limit = limit),
    close: () => closeServer(server),
  };
}
