import { describe, expect, it } from 'vitest';
import * as v from '../../src/core/validate';

describe('serverUrl', () => {
  it.each([
    ['https://auth.example.com', 'https://auth.example.com'],
    ['https://auth.example.com/', 'https://auth.example.com'],
    ['  https://Auth.Example.com:8443  ', 'https://auth.example.com:8443'],
    ['http://localhost:9011', 'http://localhost:9011'],
  ])('accepts %j as %j', (text, expected) => {
    expect(v.serverUrl(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', /empty/],
    ['auth.example.com', /needs its scheme \(https:\/\/auth\.example\.com\)/],
    ['ftp://auth.example.com', /must start with https:\/\//],
    ['https://auth.example.com/admin', /just the server/],
    ['https://auth.example.com?x=1', /just the server/],
    ['https://auth example.com', /spaces/],
    ['https://user:pw@auth.example.com', /user name or password/],
    ['https://', /not a valid URL|no host/],
    ['https://' + 'a'.repeat(5000) + '.com', /characters long/],
    ['https://auth.example.com\u001b[A', /control characters/],
  ])('rejects %j', (text, message) => {
    const result = v.serverUrl(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('clientId and clientSecret', () => {
  it('accepts a UUID, lower-cased', () => {
    expect(v.clientId('3C219E58-ED0E-4B18-AD48-F4F92793AE32')).toEqual({
      ok: true,
      value: '3c219e58-ed0e-4b18-ad48-f4f92793ae32',
    });
  });
  it.each(['3c219e58', 'not-a-uuid-at-all', '3c219e58-ed0e-4b18-ad48-f4f92793ae3z', ''])(
    'rejects client id %j',
    (text) => {
      expect(v.clientId(text).ok).toBe(false);
    },
  );
  it('rejects an empty secret, a short one, and the client id pasted twice', () => {
    expect(v.clientSecret('').ok).toBe(false);
    expect(v.clientSecret('abc').ok).toBe(false);
    const twice = v.clientSecret('3c219e58-ed0e-4b18-ad48-f4f92793ae32');
    expect(twice.ok === false && twice.message).toMatch(/Client Id/);
    expect(v.clientSecret('hF0x_9Jq3kLm8NvB2cR5tY7uW1zX4aS6dE0gI2oP').ok).toBe(true);
  });
});

describe('tunnelCommand', () => {
  it("parses the guide's command into label and port", () => {
    expect(
      v.tunnelCommand('ngrok tunnel --region us --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn http://localhost:8000'),
    ).toEqual({
      ok: true,
      value: {
        edgeId: 'edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn',
        label: 'edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn',
        port: 8000,
        region: 'us',
      },
    });
  });
  it('accepts --label=… and a bare port', () => {
    const result = v.tunnelCommand('ngrok tunnel --label=edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn 80');
    expect(result).toMatchObject({ ok: true, value: { port: 80 } });
  });
  it.each([
    ['', /Paste the command/],
    ['ngrok http 8000', /starts with "ngrok tunnel"/],
    ['ngrok tunnel http://localhost:8000', /no --label/],
    ['ngrok tunnel --label app=x http://localhost:8000', /edge=<edge id>/],
    ['ngrok tunnel --label edge=edg_123 http://localhost:8000', /edghts_/],
    ['ngrok tunnel --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn', /address of your site/],
    ['ngrok tunnel --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn --authtoken 2abc http://localhost:80', /authtoken/],
    [
      'ngrok tunnel --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn --host-header=rewrite http://localhost:80',
      /--host-header/,
    ],
    ['ngrok tunnel --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn http://localhost:99999', /out of range/],
    ['ngrok tunnel --label edge=edghts_2HhKN3ozOCbPO6eDYlXnUgUyiEn http://example.com:80', /your local site/],
  ])('rejects %j', (text, message) => {
    const result = v.tunnelCommand(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('other values', () => {
  it('ports', () => {
    expect(v.port('8000')).toEqual({ ok: true, value: 8000 });
    for (const bad of ['0', '65536', '-1', '80a', '', '8 000']) expect(v.port(bad).ok).toBe(false);
  });
  it('redirect URIs', () => {
    expect(v.redirectUri('https://idp.ngrok.com/oauth2/callback').ok).toBe(true);
    expect(v.redirectUri('http://127.0.0.1:4000/oauth2/callback').ok).toBe(true);
    expect(v.redirectUri('http://idp.ngrok.com/oauth2/callback').ok).toBe(false);
    expect(v.redirectUri('https://idp.ngrok.com').ok).toBe(false);
    expect(v.redirectUri('idp.ngrok.com/oauth2/callback').ok).toBe(false);
  });
  it('public and internal URLs', () => {
    expect(v.publicUrl('abc.ngrok.app')).toEqual({ ok: true, value: 'https://abc.ngrok.app' });
    expect(v.publicUrl('http://abc.ngrok.app').ok).toBe(false);
    expect(v.publicUrl('https://abc').ok).toBe(false);
    expect(v.internalUrl('https://my-site.internal').ok).toBe(true);
    expect(v.internalUrl('https://my-site.ngrok.app').ok).toBe(false);
  });
  it('private hosts', () => {
    for (const host of [
      'localhost',
      '127.0.0.1',
      '10.1.2.3',
      '192.168.1.5',
      '172.20.0.1',
      'fusionauth',
      'auth.local',
      '::1',
    ])
      expect(v.isPrivateHost(host)).toBe(true);
    for (const host of ['auth.example.com', '8.8.8.8', '172.32.0.1']) expect(v.isPrivateHost(host)).toBe(false);
  });
});
