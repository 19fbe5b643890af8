// Profiles (core/store/profiles.ts): which names are folders of their own and nothing else, where each
// profile's store lives, which profiles a config folder holds, where a setup stands, and the site port
// a new profile is offered. Pure functions, plus folder listings of real temporary folders.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors';
import {
  CONFIG_FILE_NAME,
  DEFAULT_PROFILE,
  defaultSitePortAmong,
  listProfiles,
  otherProfilesOf,
  profileDir,
  profileOf,
  profileState,
} from '../../../src/core/store';
import { profileName } from '../../../src/core/validate';
import { tempDir } from '../../helpers/cli';

describe('profile names', () => {
  it.each(['A', 'b', 'my-site', 'shop_2', '0', 'x'.repeat(40)])('%s is a name', (name) => {
    expect(profileName(name)).toEqual({ ok: true, value: name });
  });

  it.each([
    ['', 'empty'],
    ['..', 'the parent folder'],
    ['.', 'this folder'],
    ['a/b', 'a path'],
    ['../x', 'a way out'],
    ['a\\b', 'a Windows path'],
    ['.hidden', 'a hidden folder'],
    ['-rf', 'an option'],
    ['a b', 'a space'],
    ['x'.repeat(41), 'too long'],
    ['é', 'not ASCII'],
    ['a\u001b[2J', 'an escape sequence'],
  ])('%j is refused (%s), in one sentence', (name) => {
    const checked = profileName(name);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.message).toMatch(/^The profile name.* is not usable: use 1 to 40 letters, digits, "-" or "_"/);
    // Never a control character echoed back to the terminal.
    expect(checked.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('the flag wins over NGROK_FUSIONAUTH_PROFILE; a refused one is a usage error naming where it came from', () => {
    expect(profileOf(undefined, {})).toBe(DEFAULT_PROFILE);
    expect(profileOf(undefined, { NGROK_FUSIONAUTH_PROFILE: '' })).toBe(DEFAULT_PROFILE);
    expect(profileOf(undefined, { NGROK_FUSIONAUTH_PROFILE: 'shop' })).toBe('shop');
    expect(profileOf('blog', { NGROK_FUSIONAUTH_PROFILE: 'shop' })).toBe('blog');
    expect(() => profileOf('../x', {})).toThrow(UsageError);
    expect(() => profileOf('../x', {})).toThrow(/^--profile: /);
    expect(() => profileOf(undefined, { NGROK_FUSIONAUTH_PROFILE: 'a/b' })).toThrow(/^NGROK_FUSIONAUTH_PROFILE: /);
  });
});

describe('where a profile lives', () => {
  it('the default profile is the config folder itself (as before profiles), the others are under profiles/', () => {
    expect(profileDir('/c', DEFAULT_PROFILE)).toBe('/c');
    expect(profileDir('/c', 'shop')).toBe(path.join('/c', 'profiles', 'shop'));
  });

  it('lists the profiles that hold settings: the default one first, then by name; other folders are not profiles', () => {
    const base = tempDir();
    expect(listProfiles(base)).toEqual([]);
    const settle = (dir: string) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, CONFIG_FILE_NAME), '{}');
    };
    settle(profileDir(base, 'zeta'));
    settle(profileDir(base, 'alpha'));
    mkdirSync(profileDir(base, 'empty'), { recursive: true });
    settle(path.join(base, 'profiles', '.hidden'));
    expect(listProfiles(base).map((p) => p.name)).toEqual(['alpha', 'zeta']);
    settle(base);
    expect(listProfiles(base)).toEqual([
      { name: 'default', dir: base },
      { name: 'alpha', dir: profileDir(base, 'alpha') },
      { name: 'zeta', dir: profileDir(base, 'zeta') },
    ]);
  });

  it("reads the other profiles' site ports and domains, skipping its own; a damaged file holds nothing known", () => {
    const base = tempDir();
    const store = (name: string, text: string) => {
      mkdirSync(profileDir(base, name), { recursive: true });
      writeFileSync(path.join(profileDir(base, name), CONFIG_FILE_NAME), text);
    };
    store('default', JSON.stringify({ values: { sitePort: 8000, domain: 'Shop.ngrok.app' } }));
    store('a', JSON.stringify({ values: { sitePort: 8001 } }));
    store('b', JSON.stringify({ values: {} }));
    store('broken', '{ not json');
    expect(otherProfilesOf(base, profileDir(base, 'b'))).toEqual([
      { name: 'default', sitePort: 8000, domain: 'shop.ngrok.app' },
      { name: 'a', sitePort: 8001 },
      { name: 'broken' },
    ]);
    expect(otherProfilesOf(base, base).map((o) => o.name)).toEqual(['a', 'b', 'broken']);
  });
});

describe('the site port a profile is offered', () => {
  it("the guide's port when no other profile has one; else one past the highest taken", () => {
    expect(defaultSitePortAmong(new Set(), 8000)).toBeUndefined();
    expect(defaultSitePortAmong(new Set([8000]), 8000)).toBe(8001);
    expect(defaultSitePortAmong(new Set([8000, 8001, 3000]), 8000)).toBe(8002);
    expect(defaultSitePortAmong(new Set([21_000]), 8000)).toBe(21_001);
    expect(defaultSitePortAmong(new Set([65_535, 8000]), 8000)).toBe(8001);
  });
});

describe('where a setup stands', () => {
  const done = { status: 'done' as const, updatedAt: '2026-01-01T00:00:00Z' };
  it('not started, in progress at the first section not done, done (Next Steps is optional), tunnel running', () => {
    expect(profileState({ steps: {} })).toEqual({ kind: 'not-started' });
    expect(profileState({ steps: { prereqs: done, site: done } })).toEqual({
      kind: 'in-progress',
      section: 'fusionauth',
    });
    const all = { prereqs: done, site: done, fusionauth: done, ngrok: done, finish: done, test: done };
    expect(profileState({ steps: all })).toEqual({ kind: 'done' });
    expect(profileState({ steps: all }, { command: 'tunnel', pid: 42 })).toEqual({ kind: 'tunnel-running', pid: 42 });
    // A setup at work is where its steps say, not "running".
    expect(profileState({ steps: { prereqs: done } }, { command: 'setup', pid: 42 })).toEqual({
      kind: 'in-progress',
      section: 'site',
    });
  });
});
