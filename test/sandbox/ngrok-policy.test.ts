// Traffic policy parsing and the CEL subset: what is accepted, and that everything else is refused.
import { describe, expect, it } from 'vitest';
import { compileCel, type CelRequest } from '../../src/sandbox/ngrok/policy/cel';
import { isTerminating, parsePolicy } from '../../src/sandbox/ngrok/policy/parse';
import { CidrSet, ipAllowed } from '../../src/sandbox/ngrok/ip';

const req = (over: Partial<CelRequest> = {}): CelRequest => ({
  method: 'GET',
  path: '/admin/x',
  query: '',
  host: 'x.ngrok.app',
  clientIp: '127.0.0.1',
  ...over,
});

describe('CEL subset', () => {
  it('evaluates startsWith, ==, !=, in, !, && and ||', () => {
    expect(compileCel("req.url.path.startsWith('/admin')")(req())).toBe(true);
    expect(compileCel('req.url.path.startsWith("/public")')(req())).toBe(false);
    expect(compileCel("req.method == 'GET' && !req.url.path.endsWith('.css')")(req())).toBe(true);
    expect(compileCel("req.method != 'GET' || conn.client_ip in ['127.0.0.1', '::1']")(req())).toBe(true);
    expect(
      compileCel("(req.method == 'POST' || req.method == 'PUT') && req.url.path.contains('x')")(req({ method: 'PUT' })),
    ).toBe(true);
  });

  it('refuses what it does not implement', () => {
    for (const source of [
      "req.headers['x'][0] == 'y'",
      'size(req.url.path) > 3',
      "req.url.path.matches('^/a')",
      'req.url.path',
      'req.url.path.startsWith(req.method)',
      "req.url.path == 'a' &&",
      '',
    ]) {
      expect(() => compileCel(source), source).toThrow();
    }
  });
});

describe('policy documents', () => {
  it('parses YAML and JSON with the supported actions', () => {
    const yaml = `
on_http_request:
  - expressions: ["req.url.path.startsWith('/x')"]
    actions:
      - type: restrict-ips
        config: { allow: ["127.0.0.1/32"] }
  - actions:
      - type: openid-connect
        config:
          issuer_url: http://127.0.0.1:9011
          client_id: abc
          client_secret: def
          scopes: [openid, profile, email]
          max_session_duration: 24h
      - type: add-headers
        config: { headers: { x-email: "\${actions.ngrok.oidc.identity.email}" } }
      - type: forward-internal
        config: { url: https://app.internal }
on_http_response:
  - actions:
      - type: remove-headers
        config: { headers: [server] }
`;
    const policy = parsePolicy(yaml);
    expect(policy.onHttpRequest).toHaveLength(2);
    expect(policy.onHttpRequest[1]!.actions.map((a) => a.type)).toEqual([
      'openid-connect',
      'add-headers',
      'forward-internal',
    ]);
    expect(isTerminating(policy)).toBe(true);
    const oidc = policy.onHttpRequest[1]!.actions[0]!;
    expect(oidc.type === 'openid-connect' && oidc.oidc.maxSessionMs).toBe(86_400_000);
    expect(
      parsePolicy(JSON.stringify({ on_http_request: [{ actions: [{ type: 'deny' }] }] })).onHttpRequest,
    ).toHaveLength(1);
  });

  it('refuses unknown keys, actions, phases and interpolations', () => {
    const bad = [
      'on_tcp_connect: []',
      'inbound: []',
      'on_http_request:\n  - actions:\n      - type: rate-limit\n',
      'on_http_request:\n  - actions:\n      - type: openid-connect\n        config: { client_id: a, client_secret: b }\n',
      'on_http_request:\n  - actions:\n      - type: openid-connect\n        config: { issuer_url: x, client_id: a, client_secret: b, bogus: 1 }\n',
      'on_http_request:\n  - actions:\n      - type: forward-internal\n        config: { url: https://app.ngrok.app }\n',
      'on_http_request:\n  - actions:\n      - type: add-headers\n        config: { headers: { x: "${req.headers}" } }\n',
      'on_http_response:\n  - actions:\n      - type: openid-connect\n        config: { issuer_url: x, client_id: a, client_secret: b }\n',
      'on_http_request:\n  - actions: []\n',
      'on_http_request:\n  - actions:\n      - type: restrict-ips\n        config: { allow: ["10.0.0.0/40"] }\n',
    ];
    for (const text of bad) expect(() => parsePolicy(text), text).toThrow();
  });
});

describe("header actions, by ngrok's rules", () => {
  const action = (type: string, headers: unknown, phase = 'on_http_request') =>
    JSON.stringify({ [phase]: [{ actions: [{ type, config: { headers } }] }] });
  const eleven = Array.from({ length: 11 }, (_, i) => `x-h${i}`);

  it('refuses user-agent either way, ngrok-skip-browser-warning added, and more than 10 headers in one action', () => {
    expect(() => parsePolicy(action('add-headers', { 'User-Agent': 'bot' }))).toThrow(
      /may not add the user-agent header/,
    );
    expect(() => parsePolicy(action('remove-headers', ['user-agent'], 'on_http_response'))).toThrow(
      /may not remove the user-agent header/,
    );
    expect(() => parsePolicy(action('add-headers', { 'ngrok-skip-browser-warning': '1' }))).toThrow(
      /ngrok-skip-browser-warning/,
    );
    expect(() => parsePolicy(action('add-headers', Object.fromEntries(eleven.map((h) => [h, 'v']))))).toThrow(
      /1 to 10 entries, not 11/,
    );
    expect(() => parsePolicy(action('remove-headers', eleven))).toThrow(/1 to 10 entries, not 11/);
    expect(() => parsePolicy(action('remove-headers', ['x y']))).toThrow(/not a valid HTTP header name/);
  });

  it('takes ten headers, and host added (it replaces the Host header) or removed', () => {
    const ten = eleven.slice(0, 10);
    expect(parsePolicy(action('remove-headers', ten)).onHttpRequest[0]!.actions[0]).toEqual({
      type: 'remove-headers',
      headers: ten,
    });
    const added = parsePolicy(
      action('add-headers', { Host: 'app.internal', ...Object.fromEntries(ten.slice(1).map((h) => [h, 'v'])) }),
    ).onHttpRequest[0]!.actions[0]!;
    expect(added.type === 'add-headers' && added.headers.map(([name]) => name)).toEqual(['host', ...ten.slice(1)]);
    expect(parsePolicy(action('remove-headers', ['host'])).onHttpRequest).toHaveLength(1);
  });
});

describe('IP matching', () => {
  it('allows when an allow rule matches and no deny rule does', () => {
    expect(ipAllowed('127.0.0.1', new CidrSet(['127.0.0.0/8']), new CidrSet())).toBe(true);
    expect(ipAllowed('127.0.0.1', new CidrSet(['10.0.0.0/8']), new CidrSet())).toBe(false);
    expect(ipAllowed('127.0.0.1', new CidrSet(), new CidrSet(['127.0.0.1']))).toBe(false);
    expect(ipAllowed('::ffff:127.0.0.1', new CidrSet(['127.0.0.1/32']), new CidrSet())).toBe(true);
    expect(ipAllowed('::1', new CidrSet(['::1/128']), new CidrSet())).toBe(true);
  });
});
