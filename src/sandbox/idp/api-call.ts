// One management API call as the handlers see it: the authorised key, the tenant rules, and the
// JSON body parsed the way FusionAuth parses it (a body that is not JSON is a 400, never a crash).
import type { IncomingMessage } from 'node:http';
import type { ApiKeyGate } from './api-keys';
import { ApiError, readBody } from './http';
import { isJsonObject, mergePatchLoose, mergePatchRfc7396, type JsonObject } from './json';
import type { ApiKeyOptions, IdpState } from './state';

export interface ApiResult {
  status: number;
  /** Absent: an empty body (FusionAuth's 200 to a DELETE, its 401 and 404). */
  body?: unknown;
}

export class ApiCall {
  #body: JsonObject | undefined | null = null;

  constructor(
    readonly req: IncomingMessage,
    readonly method: string,
    readonly url: URL,
    readonly key: ApiKeyOptions,
    readonly state: IdpState,
    readonly gate: ApiKeyGate,
  ) {}

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  /** The tenant the call is scoped to, if it can be told (see ApiKeyGate.tenantOf). */
  tenantScope(): string | undefined {
    return this.gate.tenantOf(this.req, this.key);
  }

  /** The tenant the call must be scoped to: `400 [TenantIdRequired]` when it cannot be told. */
  requireTenant(): string {
    return this.gate.requireTenant(this.req, this.key);
  }

  /** The request body as a JSON object; undefined when there is none. */
  async json(): Promise<JsonObject | undefined> {
    if (this.#body !== null) return this.#body;
    const raw = (await readBody(this.req)).toString('utf8');
    if (raw.trim() === '') {
      this.#body = undefined;
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw ApiError.general(
        '[invalidJSON]',
        `Unable to parse JSON. The request body could not be parsed: ${(error as Error).message}`,
      );
    }
    if (!isJsonObject(parsed)) {
      throw ApiError.general('[invalidJSON]', 'Unable to parse JSON. The request body must be a JSON object.');
    }
    this.#body = parsed;
    return parsed;
  }

  /** `body[name]`, the request's object (`{"application": {…}}`): `400 [missing]name` without it. */
  async requestObject(name: string, label: string): Promise<JsonObject> {
    const body = await this.json();
    const value = body?.[name];
    if (!isJsonObject(value)) {
      throw ApiError.fields({
        [name]: [
          {
            code: `[missing]${name}`,
            message: `Your request is missing the ${label} information as JSON in the entity-body.`,
          },
        ],
      });
    }
    return value;
  }

  /** Applies a PATCH body the way its Content-Type says (see json.ts for the two merges). */
  patch(target: JsonObject, patch: JsonObject): JsonObject {
    const type = (this.req.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('application/json-patch+json')) {
      throw ApiError.general(
        '[unsupported]',
        'The sandbox IdP does not implement JSON Patch (RFC 6902); use application/json or application/merge-patch+json.',
      );
    }
    return type.startsWith('application/merge-patch+json')
      ? mergePatchRfc7396(target, patch)
      : mergePatchLoose(target, patch);
  }
}

export type ApiHandler = (call: ApiCall, segments: string[]) => Promise<ApiResult>;
