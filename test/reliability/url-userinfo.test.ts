// A URL refused for carrying a user name and password never echoes them: not in the validator's
// sentence (on screen as the user types, in --no-input's list), not in the command line's error for
// --fusionauth-url (commander quotes a refused argument back), whatever else is wrong with the URL.
import { describe, expect, it } from 'vitest';
import { withoutUserinfo } from '../../src/core/text';
import * as v from '../../src/core/validate';
import { runCli, tempDir } from '../helpers/cli';

const PASSWORD = 's3cret-pw-4417';
const WITH_PASSWORD = [
  `https://admin:${PASSWORD}@auth.example.com`,
  `https://admin:${PASSWORD}@auth.example.com/admin`,
  `admin:${PASSWORD}@auth.example.com`,
  `ftp://admin:${PASSWORD}@auth.example.com`,
  `http://admin:${PASSWORD}@auth.example.com`,
  `https://admin:${PASSWORD}@`,
  // Scheme-relative and scheme-less forms: once quoted back in "needs its scheme (https://…)".
  `//admin:${PASSWORD}@auth.example.com`,
  `//admin:${PASSWORD}@`,
  `///admin:${PASSWORD}@auth.example.com`,
  ` //admin:${PASSWORD}@auth.example.com`,
  `https:admin:${PASSWORD}@auth.example.com`,
];

describe('a URL with a password in it', () => {
  it.each(WITH_PASSWORD)('the validators never quote it back: %s', (url) => {
    for (const check of [v.fusionauthUrl, v.publicUrl, v.internalUrl, v.redirectUri, v.webhookUrl]) {
      const result = check(url);
      expect(result.ok, `${check.name} accepted ${url}`).toBe(false);
      if (!result.ok) expect(result.message, check.name).not.toContain(PASSWORD);
    }
  });

  it('text quoting such a URL keeps the rest of the URL and drops the user name and password', () => {
    expect(withoutUserinfo(`at //admin:${PASSWORD}@auth.example.com/x`)).toBe('at //auth.example.com/x');
    expect(withoutUserinfo(`//admin:${PASSWORD}@auth.example.com`)).toBe('//auth.example.com');
    expect(withoutUserinfo(`https://admin:${PASSWORD}@auth.example.com`)).toBe('https://auth.example.com');
    expect(withoutUserinfo('a/b and //auth.example.com/x stay')).toBe('a/b and //auth.example.com/x stay');
  });

  it.each(WITH_PASSWORD)('--fusionauth-url refuses it with exit 2 and does not print it: %s', async (url) => {
    const result = await runCli(['--config-dir', tempDir(), 'setup', '--no-input', '--fusionauth-url', url]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/FusionAuth URL/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD);
  });

  it('FUSIONAUTH_URL with one: named in the --no-input list without it', async () => {
    const result = await runCli(['--config-dir', tempDir(), 'setup', '--no-input'], {
      env: { FUSIONAUTH_URL: `admin:${PASSWORD}@auth.example.com` },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('FusionAuth URL');
    expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD);
  });
});
