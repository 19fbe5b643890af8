// A minimal browser for the sandbox's login check: follows redirects by hand, keeps cookies per host
// name (as browsers do, ports share them), and submits an HTML form. Network failures go through the
// one mapper (http.ts).
import { httpRequest } from './request';

export interface Page {
  status: number;
  url: string;
  body: string;
  headers: Headers;
}

export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();
  readonly visited: string[] = [];

  constructor(
    private readonly options: {
      signal?: AbortSignal;
      timeoutMs?: number;
      /**
       * Where this machine reaches a public URL, when not at the URL itself (the sandbox's loopback
       * stand-in for an ngrok hostname): the request goes there, while cookies and `visited` keep
       * the public host, as a browser's would.
       */
      reach?: (url: string) => string | undefined;
    } = {},
  ) {}

  /** One request; redirects are not followed. */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const via = this.options.reach?.(target.href);
    const sent = via ? new URL(`${target.pathname}${target.search}`, via) : target;
    const headers: Record<string, string> = {};
    const cookies = this.jar.get(target.hostname);
    if (cookies?.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const method = init.method ?? (init.form ? 'POST' : 'GET');
    this.visited.push(`${method} ${target.origin}${target.pathname}`);
    const response = await httpRequest(sent, {
      method,
      headers,
      body,
      signal: this.options.signal,
      timeoutMs: this.options.timeoutMs ?? 15_000,
    });
    this.keepCookies(target, response);
    return response;
  }

  /** Follows redirects (at most 20) and answers the final page. */
  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Page> {
    let current = url;
    let response = await this.request(current, init);
    for (let hops = 0; hops < 20 && response.status >= 300 && response.status < 400; hops++) {
      const location = response.headers.get('location');
      if (!location) break;
      await response.body?.cancel();
      current = new URL(location, current).href;
      response = await this.request(current);
    }
    return { status: response.status, url: current, body: await response.text(), headers: response.headers };
  }

  private keepCookies(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const cookies = this.jar.get(url.hostname) ?? new Map<string, string>();
      if (/max-age=0/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
      this.jar.set(url.hostname, cookies);
    }
  }
}

const unescapeHtml = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&#x2F;/gi, '/')
    .replace(/&#47;/g, '/')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

export interface HtmlForm {
  action: string;
  /** The hidden inputs, which a browser would send back. */
  hidden: Record<string, string>;
}

/** The first form on a page holding a password field: its absolute action and hidden inputs. */
export function loginForm(page: Page): HtmlForm | undefined {
  for (const match of page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, attributes = '', inner = ''] = match;
    if (!/type=["']?password/i.test(inner)) continue;
    const action = /\baction=["']([^"']*)["']/i.exec(attributes)?.[1] ?? '';
    const hidden: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const tag = input[0];
      if (!/type=["']?hidden/i.test(tag)) continue;
      const name = /\bname=["']([^"']*)["']/i.exec(tag)?.[1];
      if (name) hidden[unescapeHtml(name)] = unescapeHtml(/\bvalue=["']([^"']*)["']/i.exec(tag)?.[1] ?? '');
    }
    return { action: new URL(unescapeHtml(action), page.url).href, hidden };
  }
  return undefined;
}
