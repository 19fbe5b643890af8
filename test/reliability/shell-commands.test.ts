// Every command line we print is one a person may paste into a shell: each argument quoted, so a
// folder, path or port typed with spaces, `;`, `$( )`, quotes or `~` in it stays one argument and
// runs nothing. Checked by handing each printed line to a real sh, in a scratch folder that is also
// its HOME, and comparing the words it sees with the ones we meant; a PWNED file means it ran something.
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentSupervisor } from '../../src/core/agent';
import { siteServerArgs, startSiteServer } from '../../src/core/site';
import { Store } from '../../src/core/store';
import { site } from '../../src/steps/site';
import { tempDir } from '../helpers/cli';
import { unusedPort } from '../helpers/ports';

/** A name a person could give a folder, which a shell would otherwise run as three commands. */
const HOSTILE = `my site; touch PWNED $(touch PWNED2) \`touch PWNED3\` 'quoted' ~ "x"`;

/** The words sh sees in a printed command line (run with `set --`, so nothing is executed but expansions). */
async function wordsOf(commandLine: string, scratch: string): Promise<string[]> {
  const result = await execa('sh', ['-c', `set -- ${commandLine}\nprintf '%s\\0' "$@"`], {
    cwd: scratch,
    env: { PATH: process.env.PATH, HOME: scratch },
    reject: false,
  });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

function scratchDir(): string {
  const dir = path.join(tempDir('nf-shell-'), 'scratch');
  mkdirSync(dir);
  return dir;
}

function expectNothingRan(scratch: string): void {
  expect(readdirSync(scratch).filter((f) => f.startsWith('PWNED'))).toEqual([]);
}

describe('printed command lines', () => {
  it('the manual path of Set Up The Application: mkdir and python3 keep a hostile folder and port as typed', async () => {
    const scratch = scratchDir();
    const ctx = { store: Store.open(tempDir()), options: {}, env: {}, signal: new AbortController().signal };
    const port = '8000; touch PWNED';
    const lines = site.instructions(ctx, { siteDir: HOSTILE, port });
    const mkdir = lines.find((l) => l.startsWith('Make a directory: '))!.slice('Make a directory: '.length);
    const python = lines.find((l) => l.startsWith('Start the web server: '))!.slice('Start the web server: '.length);
    expect(await wordsOf(mkdir, scratch)).toEqual(['mkdir', HOSTILE]);
    expect(await wordsOf(python, scratch)).toEqual(['python3', '-m', 'http.server', port, '--bind', '127.0.0.1']);
    expectNothingRan(scratch);
    // And run for real, the folder is made as named: one folder, nothing else.
    await execa('sh', ['-c', mkdir], { cwd: scratch, env: { PATH: process.env.PATH, HOME: scratch } });
    expect(readdirSync(scratch)).toEqual([HOSTILE]);
  });

  it('the agent command shown in the live view and the log: a binary path with spaces and $( ) is one word', async () => {
    const scratch = scratchDir();
    const bin = path.join(scratch, `my ngrok $(touch PWNED)`, 'ngrok');
    const args = [
      'http',
      '8000',
      '--url',
      'https://x.internal',
      '--traffic-policy-file',
      path.join(scratch, HOSTILE, 'policy.yml'),
    ];
    const supervisor = new AgentSupervisor({ bin, args, env: {} });
    expect(await wordsOf(supervisor.commandLine, scratch)).toEqual([
      bin,
      ...args,
      '--log',
      'stdout',
      '--log-format',
      'json',
    ]);
    expectNothingRan(scratch);
  });

  it('"run it yourself to see why" after python stops at once: its command line, quoted', async () => {
    const scratch = scratchDir();
    const dir = path.join(scratch, HOSTILE);
    mkdirSync(dir);
    const port = await unusedPort();
    // A python that exits at once, so that the hint is printed.
    const failed = await startSiteServer({ dir, port, python: '/bin/false' }).then(
      () => undefined,
      (error: Error & { hint?: string }) => error,
    );
    const hint = failed?.hint ?? '';
    const command = /^Run (.*) yourself to see why\.$/.exec(hint)?.[1];
    expect(command, hint).toBeDefined();
    expect(await wordsOf(command!, scratch)).toEqual(['/bin/false', ...siteServerArgs(dir, port)]);
    expectNothingRan(scratch);
    expect(existsSync(path.join(scratch, 'PWNED'))).toBe(false);
  });
});
