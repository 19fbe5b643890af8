// The agent stand-in's command line without tunnels: version, config check / add-authtoken, usage
// errors, and the authtoken refusal (ERR_NGROK_4018) in both log formats. Runs dist/sandbox-agent.js
// through the sandbox's wrapper (npm run build first; `npm test` does).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import YAML from 'yaml';
import { scaled } from '../helpers/deadline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { runAgent, tempDir } from './ngrok-helpers';

let ngrok: NgrokSandbox;
const temp = tempDir('agent-cli-');
const dir = temp.dir;

beforeAll(async () => {
  ngrok = await startNgrok({});
});
afterAll(async () => {
  await ngrok.close();
  temp.remove();
});

const agent = (args: string[], env: Record<string, string> = {}) =>
  execa(ngrok.agentPath, args, { reject: false, env, cwd: dir });

describe('the wrapper and ngrok.yml', () => {
  it('is an executable sh wrapper with the sandbox config', () => {
    expect(statSync(ngrok.agentPath).mode & 0o111).not.toBe(0);
    expect(readFileSync(ngrok.agentPath, 'utf8')).toMatch(/^#!\/bin\/sh/);
    const config = YAML.parse(readFileSync(ngrok.agentConfigPath, 'utf8'));
    expect(config).toEqual({ version: '3', agent: { authtoken: ngrok.authtoken, connect_url: ngrok.serverAddr } });
  });
});

describe('version', () => {
  it('prints the agent version for `version` and `-v`', async () => {
    for (const args of [['version'], ['-v']]) {
      const run = await agent(args);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe('ngrok version 3.36.0');
    }
  });
});

describe('config', () => {
  it('check names the configuration file', async () => {
    const run = await agent(['config', 'check']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`Valid configuration file at ${ngrok.agentConfigPath}`);
  });

  it('check fails without an authtoken, and for a missing or broken file', async () => {
    const empty = path.join(dir, 'empty.yml');
    writeFileSync(empty, 'version: "3"\nagent: {}\n');
    const run = await agent(['config', 'check', '--config', empty]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`ERROR:  Invalid configuration file at ${empty}\n`);
    expect(run.stderr.trim().split('\n').at(-1)).toBe('ERROR:  ERR_NGROK_4018');
    const missing = await agent(['config', 'check', '--config', path.join(dir, 'nope.yml')]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/ERROR: {2}open .*nope\.yml: no such file or directory/);
    const broken = path.join(dir, 'broken.yml');
    writeFileSync(broken, 'agent: [\n');
    expect((await agent(['config', 'check', '--config', broken])).exitCode).toBe(1);
  });

  it('add-authtoken writes agent.authtoken and keeps the rest', async () => {
    const file = path.join(dir, 'add.yml');
    writeFileSync(file, 'version: "3"\nagent:\n  connect_url: 127.0.0.1:1\n');
    const run = await agent(['config', 'add-authtoken', 'tok_123456789012345678901', '--config', file]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`Authtoken saved to configuration file: ${file}`);
    expect(YAML.parse(readFileSync(file, 'utf8'))).toEqual({
      version: '3',
      agent: { connect_url: '127.0.0.1:1', authtoken: 'tok_123456789012345678901' },
    });
  });
});

describe('usage errors', () => {
  it('refuses unknown commands, flags and non-local upstreams', async () => {
    const unknown = await agent(['frobnicate']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe('ERROR:  unknown command "frobnicate" for "ngrok"');
    expect((await agent(['http', '8000', '--bogus'])).stderr).toBe('ERROR:  unknown flag: --bogus');
    expect((await agent(['http', 'example.com:80'])).stderr).toContain('only forwards to this machine');
    expect((await agent(['tunnel', '--label', 'edge', '8000'])).stderr).toContain(
      'labels must be of the form key=value',
    );
  });
});

describe('authtoken', () => {
  const noToken = () => {
    const file = path.join(dir, 'no-token.yml');
    writeFileSync(file, `version: "3"\nagent:\n  connect_url: ${ngrok.serverAddr}\n  web_addr: false\n`);
    return file;
  };

  it('without one: ERR_NGROK_4018 in a logfmt eror line, on the console, exit 1', async () => {
    const run = await agent(['http', '8000', '--config', noToken(), '--log', 'stdout', '--log-format', 'logfmt']);
    expect(run.exitCode).toBe(1);
    const line = run.stdout.split('\n').find((l) => l.includes('msg="failed to reconnect session"'));
    // The client session's obj and id, as ngrok-go logs them (inconshreveable/ngrok#822, #937).
    expect(line).toMatch(
      /^t=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} lvl=eror msg="failed to reconnect session" obj=csess id=[0-9a-f]{12} err="authentication failed: Usage of ngrok requires a verified account and authtoken\..*ERR_NGROK_4018/,
    );
    expect(run.stdout).toMatch(/lvl=crit msg="command failed"/);
    expect(run.stderr).toContain(
      'ERROR:  authentication failed: Usage of ngrok requires a verified account and authtoken.',
    );
    expect(run.stderr.trim().split('\n').at(-1)).toBe('ERROR:  ERR_NGROK_4018');
  });

  it('without one, in json', async () => {
    const run = await agent([
      'tunnel',
      '--label',
      'edge=edghts_x',
      '8000',
      '--config',
      noToken(),
      '--log',
      'stdout',
      '--log-format',
      'json',
    ]);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines[0]).toMatchObject({ lvl: 'info', msg: 'open config file', t: expect.any(String) });
    const failure = lines.find((l) => l.msg === 'failed to reconnect session');
    expect(failure).toMatchObject({
      lvl: 'eror',
      obj: 'csess',
      id: expect.stringMatching(/^[0-9a-f]{12}$/),
      err: expect.stringContaining('ERR_NGROK_4018'),
    });
  });

  it('a wrong one is refused (ERR_NGROK_107), --authtoken overrides the file', async () => {
    const run = await agent(['http', '8000', '--config', noToken(), '--authtoken', 'x'.repeat(30)]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('ERR_NGROK_107');
  });
});

describe('a sandbox that is not there', () => {
  it('keeps retrying with "failed to reconnect session", like the real agent', async () => {
    const file = path.join(dir, 'dead.yml');
    writeFileSync(
      file,
      `version: "3"\nagent:\n  authtoken: ${ngrok.authtoken}\n  connect_url: 127.0.0.1:9\n  web_addr: false\n`,
    );
    const proc = runAgent(ngrok.agentPath, [
      'http',
      '8000',
      '--config',
      file,
      '--log',
      'stdout',
      '--log-format',
      'logfmt',
    ]);
    await proc.line(/failed to reconnect session.*connection refused/);
    // Retried, not given up: a second attempt fails the same way, and the agent is still running.
    await proc.line(/failed to reconnect session/, 5000, 2);
    expect(proc.child.exitCode).toBeNull();
    expect(await proc.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('endpoints and tunnels in the config file (what `ngrok start` runs)', () => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const check = (file: string, env: Record<string, string> = {}) => agent(['config', 'check', '--config', file], env);

  it("accepts version 2 labeled tunnels and version 3 endpoints with pooling, as ngrok's config docs define them", async () => {
    const v2 = write(
      'v2.yml',
      'version: "2"\nauthtoken: x\ntunnels:\n  site:\n    labels: [edge=edghts_1, app=web]\n    addr: http://localhost:8000\n',
    );
    expect((await check(v2)).exitCode).toBe(0);
    const v3 = write(
      'v3.yml',
      'version: "3"\nagent: { authtoken: x }\nendpoints:\n  - name: site\n    url: https://site.internal\n    upstream: { url: 8000 }\n    pooling_enabled: true\n    traffic_policy: { on_http_request: [] }\n',
    );
    expect((await check(v3)).exitCode).toBe(0);
  });

  it('refuses what ngrok refuses: labels in version 3, endpoints in version 2, unknown keys, a name twice', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        'version: "3"\nagent: { authtoken: x }\ntunnels:\n  site: { labels: [edge=e], addr: 8000 }\n',
        /labeled tunnels are no longer supported in version 3/,
      ],
      [
        'version: "2"\nauthtoken: x\nendpoints:\n  - { name: a, upstream: { url: 8000 } }\n',
        /'endpoints' is not a valid property of a version 2 configuration/,
      ],
      [
        'version: "3"\nagent: { authtoken: x }\nendpoints:\n  - { name: a, upstream: { url: 8000 }, pooling: true }\n',
        /endpoint 'a': 'pooling' is not a valid endpoint property/,
      ],
      [
        'version: "3"\nagent: { authtoken: x }\nendpoints:\n  - { name: a, upstream: { url: 8000 } }\n  - { name: a, upstream: { url: 8001 } }\n',
        /the name 'a' is defined twice/,
      ],
      [
        'version: "2"\nauthtoken: x\ntunnels:\n  site: { labels: [edge=e], proto: http, addr: 8000 }\n',
        /a labeled tunnel takes its protocol from the edge/,
      ],
    ];
    for (const [i, [text, error]] of cases.entries()) {
      const run = await check(write(`bad-${i}.yml`, text));
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(error);
    }
  });

  // ngrok's config pages (ngrok/ngrok-docs agent/config/v2.mdx and v3.mdx) are the list: what they name is
  // a property (taken, or refused as something the sandbox does not do), anything else is a typo.
  it("takes the keys ngrok's config pages list and refuses the ones they do not, in either version", async () => {
    const taken = [
      // v3 renamed server_addr to connect_url ("Breaking changes"); the console and update options are the agent's own.
      'version: "3"\nagent: { authtoken: x, connect_url: "127.0.0.1:1", console_ui: false, update_check: false }\n',
      'version: "2"\nauthtoken: x\nserver_addr: "127.0.0.1:1"\nregion: us\nconsole_ui: false\n',
      // `url` in a v2 tunnel ("`--url` becomes `url`"), metadata and inspect in the common and HTTP tables.
      'version: "2"\nauthtoken: x\ntunnels:\n  site: { proto: http, addr: 8000, url: https://a.internal, metadata: m, inspect: false }\n',
      'version: "3"\nagent: { authtoken: x }\nendpoints:\n  - { name: a, url: https://a.internal, description: d, metadata: m, upstream: { url: 8000, protocol: http1 } }\n',
    ];
    for (const text of taken) {
      const run = await check(write('taken.yml', text));
      expect(run.exitCode, `${text}\n${run.stderr}`).toBe(0);
    }
    const refused: Array<[string, RegExp]> = [
      [
        'version: "3"\nagent: { authtoken: x, server_addr: "127.0.0.1:1" }\n',
        /'server_addr' is not a valid property of a version 3 file's 'agent' \(version 3 calls it 'connect_url'\)/,
      ],
      ['version: "3"\nagent: { authtoken: x, region: us }\n', /'region' is not a valid property/],
      ['version: "3"\nagent: { authtoken: x }\nauthtoken: y\n', /'authtoken' is not a valid property of a version 3/],
      ['version: "2"\nauthtoken: x\nauthtokn: y\n', /'authtokn' is not a valid property of a version 2/],
      // Not in v2's tunnel tables: once taken and dropped.
      [
        'version: "2"\nauthtoken: x\ntunnels:\n  site: { proto: http, addr: 8000, hostname: a.example.com }\n',
        /tunnel 'site': 'hostname' is not a valid tunnel property/,
      ],
      [
        'version: "2"\nauthtoken: x\ntunnels:\n  site: { proto: http, addr: 8000, description: d }\n',
        /tunnel 'site': 'description' is not a valid tunnel property/,
      ],
      // In ngrok's tables, not done here: said so, never "not valid", never dropped.
      [
        'version: "2"\nauthtoken: x\ntunnels:\n  site: { proto: http, addr: 8000, basic_auth: ["a:12345678"] }\n',
        /tunnel 'site': the sandbox agent does not emulate 'basic_auth'/,
      ],
      [
        'version: "3"\nagent: { authtoken: x }\nendpoints:\n  - { name: a, bindings: [public], upstream: { url: 8000 } }\n',
        /endpoint 'a': the sandbox agent does not emulate 'bindings'/,
      ],
      [
        'version: "3"\nagent: { authtoken: x }\nendpoints:\n  - { name: a, upstream: { url: 8000, protocol: http2 } }\n',
        /endpoint 'a': upstream: the sandbox agent does not emulate 'protocol'/,
      ],
    ];
    for (const [text, error] of refused) {
      const run = await check(write('refused.yml', text));
      expect(run.exitCode, text).toBe(1);
      expect(run.stderr, text).toMatch(error);
    }
  });

  it('an endpoint and a tunnel of the same name: the endpoint is the one started (ngrok blog, agent endpoints)', async () => {
    const file = write(
      'both.yml',
      `version: "3"\nagent: { authtoken: ${ngrok.authtoken}, web_addr: false }\ntunnels:\n  site: { proto: http, addr: 8001, url: https://tunnel.internal }\nendpoints:\n  - { name: site, url: https://endpoint.internal, upstream: { url: 8002 } }\n`,
    );
    expect((await check(file)).exitCode).toBe(0);
    const run = agent(['start', 'site', '--config', file, '--log', 'stdout', '--log-format', 'json']);
    let out = '';
    run.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      const deadline = Date.now() + scaled(15_000);
      while (!out.includes('started tunnel') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const started = out.split('\n').find((line) => line.includes('started tunnel'));
      expect(started, out).toContain('https://endpoint.internal');
      expect(started).toContain('localhost:8002');
      expect(out).not.toContain('tunnel.internal');
    } finally {
      run.kill('SIGTERM');
      await run;
    }
  });

  it('an older agent is older: NGROK_SANDBOX_AGENT_VERSION sets the version, and what came later is refused', async () => {
    expect((await agent(['version'], { NGROK_SANDBOX_AGENT_VERSION: '3.1.0' })).stdout).toBe('ngrok version 3.1.0');
    const v3 = write('v3-old.yml', 'version: "3"\nagent: { authtoken: x }\n');
    expect((await check(v3, { NGROK_SANDBOX_AGENT_VERSION: '3.15.0' })).stderr).toContain(
      "the config version '3' is not supported",
    );
    expect((await check(v3, { NGROK_SANDBOX_AGENT_VERSION: '3.16.0' })).exitCode).toBe(0);
    const policy = await agent(['http', '8000', '--traffic-policy-file', 'p.yml'], {
      NGROK_SANDBOX_AGENT_VERSION: '3.12.0',
    });
    expect(policy.stderr).toBe('ERROR:  unknown flag: --traffic-policy-file');
  });

  it('start needs names, --all or --none, and only names the files define', async () => {
    expect((await agent(['start'])).stderr).toContain(
      'Specify the names of endpoints or tunnels to start, or use --all or --none',
    );
    const file = write(
      'start.yml',
      'version: "3"\nagent: { authtoken: x }\nendpoints:\n  - { name: a, url: https://a.internal, upstream: { url: 8000 } }\n',
    );
    const unknown = await agent(['start', 'b', '--config', file]);
    expect(unknown.exitCode).toBe(1);
    // The real agent's three lines (inconshreveable/ngrok#787).
    expect(unknown.stderr).toBe(
      `ERROR:  Tunnel 'b' is not defined in the config files.\nERROR:  Tunnels available: a\nERROR:  Config files read: [${file}]`,
    );
    const empty = write('empty-start.yml', 'version: "3"\nagent: { authtoken: x }\n');
    const all = await agent(['start', '--all', '--config', empty]);
    expect(all.exitCode).toBe(1);
    expect(all.stderr).toBe(
      'ERROR:  Your configuration file must define at least one tunnel when using --all. To intentionally start no tunnels, use `ngrok start --none.`',
    );
  });
});
