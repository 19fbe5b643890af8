// The settings file holds secrets: it is only ever a regular file of ours, 0600, like the agent's log,
// and a message about a damaged one names the file and the reason, never its bytes.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, StoreCorruptError, StoreNotAFileError } from '../../../src/core/store';
import { runCli, tempDir } from '../../helpers/cli';

const mode = (file: string) => statSync(file).mode & 0o777;

/** A file outside the config folder, 0644, that a link in the settings file's place points to. */
function outsideFile(content: string): string {
  const file = path.join(tempDir(), 'elsewhere.json');
  writeFileSync(file, content);
  chmodSync(file, 0o644);
  return file;
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
}

describe('a settings file that is not a regular file of ours', () => {
  it('a symbolic link is refused on open, and the file it points to is left as it was', async () => {
    const dir = tempDir();
    const target = outsideFile(JSON.stringify({ values: { clientSecret: 'OUTSIDE-SECRET-1' } }));
    symlinkSync(target, path.join(dir, 'config.json'));
    const error = errorOf(() => Store.open(dir));
    expect(error).toBeInstanceOf(StoreNotAFileError);
    expect((error as Error).message).toBe(
      `The settings file ${path.join(dir, 'config.json')} is a symbolic link, not a regular file: it holds secrets, so this tool reads and writes it only as a file of its own (replace it with the file itself, or move it away to start with empty settings).`,
    );
    expect(lstatSync(path.join(dir, 'config.json')).isSymbolicLink()).toBe(true);
    const status = await runCli(['--config-dir', dir, 'status', '--json']);
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toContain('is a symbolic link');
    expect(status.stdout + status.stderr).not.toContain('OUTSIDE-SECRET-1');
    expect(readFileSync(target, 'utf8')).toBe(JSON.stringify({ values: { clientSecret: 'OUTSIDE-SECRET-1' } }));
    expect(mode(target)).toBe(0o644);
  });

  it('a link put in its place after open: the next write is refused, nothing is written through it', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.setValues({ sitePort: 8000 });
    const target = outsideFile('{}');
    const file = store.path;
    writeFileSync(`${file}.moved`, readFileSync(file));
    symlinkSync(target, `${file}.link`);
    // An atomic swap, as another program would make it.
    renameSync(`${file}.link`, file);
    expect(() => store.setValues({ clientSecret: 'MUST-NOT-LEAK' })).toThrow(StoreNotAFileError);
    expect(() => store.clear()).toThrow(StoreNotAFileError);
    expect(readFileSync(target, 'utf8')).toBe('{}');
    // The snapshot is kept: the boundary check refuses the link again rather than emptying the store.
    expect(store.values).toEqual({ sitePort: 8000 });
    expect(() => store.reloadIfChanged()).toThrow(StoreNotAFileError);
  });

  it('a link to nothing is refused too, and creates nothing where it points', () => {
    const dir = tempDir();
    const target = path.join(tempDir(), 'not-yet.json');
    symlinkSync(target, path.join(dir, 'config.json'));
    expect(() => Store.open(dir)).toThrow(StoreNotAFileError);
    expect(existsSync(target)).toBe(false);
  });

  it('a folder in its place: the one sentence, exit 1, not an unexpected failure', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'config.json'));
    expect(() => Store.open(dir)).toThrow(/config\.json is a folder, not a regular file/);
    for (const args of [['status'], ['reset']]) {
      const result = await runCli(['--config-dir', dir, ...args]);
      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(result.stderr).toContain('is a folder, not a regular file');
      expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /);
    }
  });
});

describe('files that hold secrets are 0600', () => {
  it('open tightens the settings file, and the agent log (and its older half) and the policy file it made', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    for (const name of ['agent.log', 'traffic-policy.yml'] as const) store.ownFile(name);
    const files = {
      'config.json': readFileSync(store.path, 'utf8'),
      'agent.log': 'x',
      'agent.log.1': 'x',
      'traffic-policy.yml': 'x',
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(path.join(dir, name), content);
      chmodSync(path.join(dir, name), name === 'agent.log.1' ? 0o640 : 0o644);
    }
    Store.open(dir);
    for (const name of Object.keys(files)) expect(mode(path.join(dir, name)), name).toBe(0o600);
  });

  it('a log that is a link is not followed: what it points to keeps its mode', () => {
    const dir = tempDir();
    // The store tightens only the files it owns (created.localFiles): own the log first, or the link
    // is never looked at and this test could not fail.
    Store.open(dir).ownFile('agent.log');
    expect(Store.open(dir).created.localFiles).toContain('agent.log');
    const target = outsideFile('not ours');
    symlinkSync(target, path.join(dir, 'agent.log'));
    Store.open(dir);
    expect(lstatSync(path.join(dir, 'agent.log')).isSymbolicLink()).toBe(true);
    expect(mode(target)).toBe(0o644);
  });
});

describe('a damaged settings file is named, not quoted', () => {
  it.each([
    ['text that is no JSON', 'SECRET-abc123 is what I pasted', /is damaged \(not valid JSON\)/],
    ['a bare word inside', '{"clientSecret": SECRET-abc123}', /is damaged \(not valid JSON\)/],
    [
      'a comma too many',
      '{\n  "values": {"clientSecret": "SECRET-abc123"},\n}',
      /is damaged \(not valid JSON at line 3, column 1\)/,
    ],
    ['an end too early', '{"values": {"clientSecret": "SECRET-abc123"', /is damaged \(not valid JSON/],
  ])('%s: the message names the file and the reason, none of its bytes', async (_name, content, reason) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'config.json'), content);
    const error = errorOf(() => Store.open(dir)) as StoreCorruptError;
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error.message).toContain(path.join(dir, 'config.json'));
    expect(error.message).toMatch(reason);
    expect(`${error.message} ${error.hint}`).not.toMatch(/SECRET|abc123/);
    writeFileSync(path.join(dir, 'config.json'), content);
    const status = await runCli(['--config-dir', dir, 'status']);
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toMatch(reason);
    expect(status.stderr).not.toMatch(/SECRET|abc123/);
  });
});

describe('a settings file far larger than settings', () => {
  // A sparse 10 GB config.json: read whole before, it took all memory; now one sentence, at once.
  it('is refused by status with one sentence, without reading it', async () => {
    const dir = tempDir('store-huge-');
    const file = path.join(dir, 'config.json');
    writeFileSync(file, '{}');
    truncateSync(file, 10 * 2 ** 30);
    const result = await runCli(['status'], { env: { NGROK_FUSIONAUTH_CONFIG_DIR: dir } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${file} is 10240 MB, far more than settings take`);
    expect(result.stderr).not.toMatch(/unexpected failure/);
    expect(statSync(file).size).toBe(10 * 2 ** 30);
  });
});
