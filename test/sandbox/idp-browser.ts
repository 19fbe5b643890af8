// A scripted browser for the sandbox IdP tests: fetch with a cookie jar (path-aware, enough for
// oidc-provider's cookies) and manual redirects, plus the login walk of a code flow.

interface Cookie {
  name: string;
  value: string;
  path: string;
}

export class Browser {
  readonly #cookies: Cookie[] = [];

  #store(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = val;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
      }
      const index = this.#cookies.findIndex((c) => c.name === name && c.path === path);
      if (index !== -1) this.#cookies.splice(index, 1);
      if (!expired) this.#cookies.push({ name, value, path });
    }
  }

  #header(url: URL): string {
    return this.#cookies
      .filter(
        (c) =>
          url.pathname === c.path ||
          url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) ||
          c.path === '/',
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  async request(url: string | URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = this.#header(target);
    if (cookie) headers['cookie'] = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    this.#store(response.headers.getSetCookie());
    return response;
  }

  /** Follows redirects from `url` until a page answers or the next hop starts with `stopAt`. */
  async follow(
    url: string | URL,
    stopAt: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ response: Response; url: URL }> {
    let current = new URL(url);
    let response = await this.request(current, init);
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) break;
      const next = new URL(location, current);
      current = next;
      if (next.href.startsWith(stopAt)) break;
      response = await this.request(next);
    }
    return { response, url: current };
  }
}

export interface LoginWalk {
  /** Where the walk ended: the redirect_uri with its parameters, or the page that stopped it. */
  url: URL;
  response: Response;
  /** The login page's HTML, if one was shown. */
  loginPage?: string;
}

/** Authorize → login page → post the credentials → back to the redirect_uri. */
export async function logIn(
  browser: Browser,
  authorizeUrl: string | URL,
  redirectUri: string,
  credentials: { loginId: string; password: string },
): Promise<LoginWalk> {
  const first = await browser.follow(authorizeUrl, redirectUri);
  if (first.url.href.startsWith(redirectUri) || first.response.status !== 200) return first;
  const loginPage = await first.response.text();
  const action = /<form[^>]*id="login-form"[^>]*action="([^"]+)"/.exec(loginPage)?.[1];
  if (!action) return { ...first, loginPage };
  const posted = await browser.follow(new URL(action.replaceAll('&#38;', '&'), first.url), redirectUri, {
    form: credentials,
  });
  return { ...posted, loginPage };
}

/** The JSON FusionAuth puts in its error pages. */
export function errorJson(html: string): Record<string, string> {
  const json = /<pre[^>]*>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? '{}';
  return JSON.parse(json.replaceAll('&#38;', '&').replaceAll('&#60;', '<').replaceAll('&#62;', '>')) as Record<
    string,
    string
  >;
}

export function jwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
