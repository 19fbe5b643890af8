// The one door to FusionAuth's management API: @fusionauth/typescript-client, with its defects
// wrapped here (pinned in test/core/fusionauth/client.test.ts):
//  - its REST client calls node-fetch with no timeout and no AbortSignal, so a FusionAuth that never
//    answers hangs the wizard and Ctrl-C cannot stop the call. `FetchRestClient` below is the same
//    REST client on global fetch, with the caller's signal and a timeout;
//  - it rejects with a ClientResponse (not an Error): `exception` is the parsed JSON body only for
//    application/json, the fetch error when nothing answered (statusCode undefined). `call` turns every
//    rejection into one FusionAuthError (a UserError) through errors.ts, after retrying what
//    is worth retrying (core/http/retry.ts);
//  - node-fetch and the handlers read every body whole: `go` reads it first, bounded (core/http/body-limit.ts),
//    and an oversized answer is its own sentence, not "Could not reach";
//  - it hands on whatever JSON came as the typed answer (`{"tenants":"x"}` reaches the caller as a
//    string): `call` checks each answer against its shape (answers.ts) first, and names the field.
// The library is imported lazily: `status` and `--help` never load it (or node-fetch under it).
import type { FusionAuthClient } from '@fusionauth/typescript-client';
import type ClientResponse from '@fusionauth/typescript-client/build/src/ClientResponse';
import type {
  ErrorResponseHandler,
  IRESTClient,
  ResponseHandler,
} from '@fusionauth/typescript-client/build/src/IRESTClient';
import type IRESTClientBuilder from '@fusionauth/typescript-client/build/src/IRESTClientBuilder';
import { fusionauthFailure, KEY_PERMISSION_ENDPOINTS, type CallDescription } from './errors';
import { BodyTooLargeError, boundedResponse, checkAnswer, isDroppedConnection, type Shape } from '../http';
import { retry } from '../http';

export const DEFAULT_TIMEOUT_MS = 10_000;

/** What a call answered, in the library's ClientResponse shape (which the library does not export). */
export class Answer<T> implements ClientResponse<T> {
  statusCode!: number;
  response!: T;
  exception!: Error;
  wasSuccessful(): boolean {
    return this.statusCode >= 200 && this.statusCode < 300;
  }
}

export function isAnswer(value: unknown): value is Answer<unknown> {
  return value instanceof Answer;
}

/** The library reads only `status`, `headers` and `json()`: the same on a global fetch Response. */
async function jsonAnswer<T>(response: Response, into: 'response' | 'exception'): Promise<Answer<T>> {
  const answer = new Answer<T>();
  answer.statusCode = response.status;
  const type = response.headers.get('content-type');
  if (type?.startsWith('application/json')) {
    const body: unknown = await response.json();
    if (into === 'response') answer.response = body as T;
    else answer.exception = body as Error;
  } else {
    await response.body?.cancel();
  }
  return answer;
}

interface Limits {
  signal: AbortSignal;
  timeoutMs: number;
}

/** The library's DefaultRESTClient, on global fetch with an AbortSignal and a timeout. */
export class FetchRestClient<RT, ERT> implements IRESTClient<RT, ERT> {
  private uri = '';
  private method = 'GET';
  private body: string | URLSearchParams | undefined;
  private readonly headers: Record<string, string> = {};
  private readonly parameters: Record<string, unknown> = {};
  private responseHandler: ResponseHandler<RT> = (r) => jsonAnswer<RT>(r as Response, 'response');
  private errorResponseHandler: ErrorResponseHandler<ERT> = (r) =>
    jsonAnswer<ERT>(r as Response, 'exception') as unknown as Promise<ClientResponse<ERT>>;

  constructor(
    private readonly host: string,
    private readonly limits: Limits,
  ) {}

  withAuthorization(key: string): this {
    if (key !== null && key !== undefined) this.headers['Authorization'] = key;
    return this;
  }
  withUriSegment(segment: string | number): this {
    if (segment === null || segment === undefined) return this;
    if (!this.uri.endsWith('/')) this.uri += '/';
    this.uri += String(segment);
    return this;
  }
  withFormData(body: URLSearchParams): this {
    const kept = new URLSearchParams();
    // As the library does: empty and "null"/"undefined" values are left out.
    body?.forEach((value, name) => {
      if (value && value !== 'null' && value !== 'undefined') kept.set(name, value);
    });
    this.body = kept;
    this.headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return this;
  }
  withHeader(key: string, value: string): this {
    this.headers[key] = value;
    return this;
  }
  withJSONBody(body: object): this {
    this.body = JSON.stringify(body);
    this.headers['Content-Type'] = 'application/json';
    return this;
  }
  withMethod(method: string): this {
    this.method = method;
    return this;
  }
  withUri(uri: string): this {
    this.uri = uri;
    return this;
  }
  withParameter(name: string, value: unknown): this {
    this.parameters[name] = value;
    return this;
  }
  withCredentials(): this {
    return this; // cookies are a browser matter
  }
  withResponseHandler(handler: ResponseHandler<RT>): this {
    this.responseHandler = handler;
    return this;
  }
  withErrorResponseHandler(handler: ErrorResponseHandler<ERT>): this {
    this.errorResponseHandler = handler;
    return this;
  }

  private fullUrl(): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(this.parameters)) {
      if (value === null || value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
    }
    const text = query.toString();
    return `${this.host}${this.uri}${text ? `?${text}` : ''}`;
  }

  async go(): Promise<ClientResponse<RT>> {
    const signal = AbortSignal.any([this.limits.signal, AbortSignal.timeout(this.limits.timeoutMs)]);
    let response: Response | undefined;
    try {
      // No redirects followed: a management API does not redirect, a proxy in front of it might.
      const fetched = await fetch(this.fullUrl(), {
        method: this.method,
        headers: this.headers,
        body: this.body,
        signal,
        redirect: 'manual',
      });
      // The body read now, bounded (http/body-limit.ts): the handlers' json() would read it whole.
      response = await boundedResponse(fetched, 'FusionAuth');
      if (response.ok) return await this.responseHandler(response as never);
      throw await this.errorResponseHandler(response as never);
    } catch (error) {
      if (isAnswer(error)) throw error;
      // Nothing (or nothing readable) came back: the library's shape, statusCode undefined.
      const failed = new Answer<RT>();
      if (response) failed.statusCode = response.status;
      failed.exception = error as Error;
      throw failed;
    }
  }
}

class FetchRestClientBuilder implements IRESTClientBuilder {
  constructor(private readonly limits: Limits) {}
  build<RT, ERT>(host: string): IRESTClient<RT, ERT> {
    return new FetchRestClient<RT, ERT>(host, this.limits);
  }
}

export interface Connection {
  /** The FusionAuth URL, e.g. https://auth.example.com */
  url: string;
  apiKey: string;
  /** Sent as X-FusionAuth-TenantId once known. */
  tenantId?: string;
  signal: AbortSignal;
  /** The run's other secrets (core/secrets.ts): masked in FusionAuth's messages as the key is. */
  secrets?: readonly string[];
  timeoutMs?: number;
}

interface RetryOptions {
  /** Retry a 401 for a while: a freshly created key is unknown to FusionAuth's caches for up to a minute. */
  freshKey?: boolean;
}

/**
 * Every call says what its answer must look like (answers.ts), checked before the caller reads it; or
 * that it has none: deletes answer 200 with no body, which is success, not "not JSON".
 */
export type CallOptions = RetryOptions &
  ({ answer: Shape; emptyBody?: undefined } | { emptyBody: true; answer?: undefined });

const FRESH_KEY_RETRY = { attempts: 4, baseMs: 600 } as const;

/** A FusionAuth management API session: one key, one tenant, one signal. */
export class FusionAuthApi {
  private constructor(
    readonly url: string,
    private readonly client: FusionAuthClient,
    private readonly connection: Connection,
  ) {}

  static async connect(connection: Connection): Promise<FusionAuthApi> {
    const { FusionAuthClient: Client } = await import('@fusionauth/typescript-client');
    const url = connection.url.replace(/\/+$/, '');
    const client = new Client(connection.apiKey, url, connection.tenantId);
    client.clientBuilder = new FetchRestClientBuilder({
      signal: connection.signal,
      timeoutMs: connection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    return new FusionAuthApi(url, client, connection);
  }

  get tenantId(): string | undefined {
    return this.connection.tenantId;
  }

  /** From now on every call is in this tenant (X-FusionAuth-TenantId). */
  useTenant(tenantId: string): void {
    this.connection.tenantId = tenantId;
    this.client.setTenantId(tenantId);
  }

  /**
   * Runs one library call. 5xx, 429 and dropped connections are retried with backoff (every call
   * this tool makes is safe to repeat: creates carry their id); any failure left becomes a
   * FusionAuthError naming what we were doing. The caller's abort passes through untouched.
   */
  async call<T>(
    what: CallDescription,
    run: (client: FusionAuthClient) => Promise<ClientResponse<T>>,
    options: CallOptions,
  ): Promise<T> {
    // The key hint lists every call; a call it does not list would fail a limited key unexplained.
    if (!KEY_PERMISSION_ENDPOINTS[what.endpoint]?.includes(what.method))
      throw new Error(
        `${what.method} ${what.endpoint} is missing from KEY_PERMISSION_ENDPOINTS (fusionauth/errors.ts)`,
      );
    const { signal } = this.connection;
    const timeoutMs = this.connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      const answer = await retry(() => run(this.client), {
        signal,
        ...(options.freshKey ? FRESH_KEY_RETRY : {}),
        retryAfter: (error) => (isAnswer(error) && worthRetrying(error, options.freshKey === true) ? 0 : undefined),
      });
      // Every call made here answers JSON; a success without it is not FusionAuth (a web page, a proxy).
      if (!options.emptyBody && (answer.response === undefined || answer.response === null)) {
        throw Object.assign(new Answer<T>(), { statusCode: answer.statusCode, exception: new Error('not JSON') });
      }
      if (options.answer)
        checkAnswer(answer.response, options.answer, {
          service: 'FusionAuth',
          action: what.action,
          hint: `Check that ${this.url} is FusionAuth itself, not a proxy or another server in front of it.`,
        });
      return answer.response as T;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!isAnswer(error)) throw error;
      if (error.exception instanceof BodyTooLargeError) throw error.exception;
      throw fusionauthFailure(error, {
        ...what,
        url: this.url,
        timeoutMs,
        firstCall: options.freshKey === true,
        secrets: [this.connection.apiKey, ...(this.connection.secrets ?? [])],
      });
    }
  }
}

function worthRetrying(answer: Answer<unknown>, freshKey: boolean): boolean {
  const status = answer.statusCode;
  if (status === undefined) return isDroppedConnection(answer.exception);
  return status >= 500 || status === 429 || (freshKey && status === 401);
}
