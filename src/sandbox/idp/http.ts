// Small HTTP helpers shared by the management API and the login page, and FusionAuth's error shapes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './json';

const BODY_LIMIT = 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw new ApiError(413);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** FusionAuth answers JSON with this exact type; its client parses a body only for `application/json…`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** 401, 404 and a successful DELETE come with no body at all from FusionAuth. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html;charset=UTF-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

/** For attribute values and text alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** For element text only: quotes stay as they are, so JSON shown in a page can be read back verbatim. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface FaError {
  code: string;
  message: string;
}
export type FieldErrors = Record<string, FaError[]>;

/** An API call that ends in a FusionAuth error answer; thrown by handlers, written by the router. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body?: JsonObject,
  ) {
    super(`HTTP ${status}`);
  }

  /** `400 {fieldErrors: {"application.name": [{code: "[blank]application.name", message}]}}`. */
  static fields(errors: FieldErrors): ApiError {
    return new ApiError(400, { fieldErrors: errors as unknown as JsonObject });
  }

  static general(code: string, message: string, status = 400): ApiError {
    return new ApiError(status, { generalErrors: [{ code, message }] });
  }
}

/** Collects field errors the way FusionAuth reports them: every problem at once, keyed by property path. */
export class FieldErrorList {
  readonly errors: FieldErrors = {};

  add(field: string, kind: string, message: string): void {
    (this.errors[field] ??= []).push({ code: `[${kind}]${field}`, message });
  }

  /** Jackson could not convert the value: FusionAuth reports `[invalidJSON]` on the property. */
  invalidJson(field: string, detail: string): void {
    (this.errors[field] ??= []).push({
      code: '[invalidJSON]',
      message: `Unable to parse JSON. The property [${field}] was invalid. The error was [Possible conversion error]. ${detail}`,
    });
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw ApiError.fields(this.errors);
  }
}
