// The live view driven like a person at the keyboard, over a real supervisor: the sandbox's agent
// stand-in for a real tunnel, and a flooding stand-in (test/helpers/flood-agent.mjs) for the
// "a flood of lines never freezes keys" promise.
import QRCode from 'qrcode';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentSupervisor } from '../../src/core/agent';
import { stopAll } from '../../src/core/process';
import { startSiteServer, writeSiteFile } from '../../src/core/site';
import { startNgrok, type NgrokSandbox } from '../../src/sandbox/ngrok/index';
import { osc52 } from '../../src/ui/clipboard';
import { LiveView } from '../../src/ui/components/LiveView';
import { ShellProvider } from '../../src/ui/layout/shell-context';
import { qrLines } from '../../src/ui/qr';
import { tempDir } from '../helpers/cli';
import { ngrokCall } from '../helpers/protected-setup';
import { unusedPort } from '../helpers/ports';
import { frameHeight, plain, press, render, type, waitFor, type TestApp } from '../helpers/ink';

const FLOOD_AGENT = fileURLToPath(new URL('../helpers/flood-agent.mjs', import.meta.url));

let ngrok: NgrokSandbox;
const apps: TestApp[] = [];
beforeAll(async () => {
  ngrok = await startNgrok({});
});
afterEach(async () => {
  for (const app of apps.splice(0)) app.unmount();
  await stopAll();
});
afterAll(() => ngrok?.close());

function flood(lines: number, env: Record<string, string> = {}) {
  return new AgentSupervisor({
    bin: process.execPath,
    args: [FLOOD_AGENT],
    env: { PATH: process.env.PATH, NGROK_FLOOD_LINES: String(lines), ...env },
    publicUrl: 'https://flood.ngrok.app',
  });
}

function mount(
  supervisor: AgentSupervisor,
  props: Partial<Parameters<typeof LiveView>[0]> = {},
  [columns, rows]: readonly [number, number] = [200, 60],
) {
  const quits: number[] = [];
  const opened: string[] = [];
  const app = render(
    <ShellProvider value={{ title: 'ngrok-fusionauth tunnel', purpose: 'the site behind ngrok and FusionAuth' }}>
      <LiveView
        source={supervisor}
        logRows={10}
        onQuit={() => quits.push(Date.now())}
        openUrl={async (url) => opened.push(url)}
        {...props}
      />
    </ShellProvider>,
    columns,
    rows,
  );
  apps.push(app);
  return { app, quits, opened };
}

/** The rows of the log section of a frame (between its heading and "requests"). */
function logRows(frame: string): string[] {
  // The frame's padding (one column) is not part of a row.
  const lines = frame.split('\n').map((l) => l.replace(/^ /, ''));
  const start = lines.findIndex((l) => l.startsWith('log ·'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('requests'));
  return lines.slice(start + 1, end).filter((l) => l.trim());
}

describe('the live view', () => {
  it('shows the agent coming online with its URL, its lines as they arrive, and its requests', async () => {
    const siteDir = tempDir('live-site-');
    await writeSiteFile(siteDir);
    const port = await unusedPort();
    const supervisor = new AgentSupervisor({
      bin: ngrok.agentPath,
      args: ['http', String(port), '--url', 'https://live-view.internal'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      site: { dir: siteDir, port },
      requestsEveryMs: 200,
    });
    const { app } = mount(supervisor);
    await supervisor.start();
    const frame = await waitFor(app, /● online\s+https:\/\/live-view\.internal/);
    expect(frame).toMatch(/restarts 0\s+requests 0/);
    expect(frame).toContain(
      `$ ${ngrok.agentPath} http ${port} --url https://live-view.internal --log stdout --log-format json`,
    );
    const rows = logRows(await waitFor(app, 'started tunnel'));
    expect(
      rows.some((r) =>
        /\d\d:\d\d:\d\d INFO started tunnel obj=tunnels name=command_line addr=http:\/\/localhost:\d+ url=https:\/\/live-view\.internal/.test(
          r,
        ),
      ),
    ).toBe(true);
    expect(rows.some((r) => r.includes('INFO » Started python3 -m http.server'))).toBe(true);
    expect(frame).toContain('No requests have reached the agent yet');

    // A visitor through a cloud endpoint in front of the internal one: the request shows up.
    await ngrokCall(ngrok, 'POST', '/reserved_domains', { domain: 'live-view.ngrok.app' });
    await ngrokCall(ngrok, 'POST', '/endpoints', {
      type: 'cloud',
      url: 'https://live-view.ngrok.app',
      traffic_policy: JSON.stringify({
        on_http_request: [{ actions: [{ type: 'forward-internal', config: { url: 'https://live-view.internal' } }] }],
      }),
    });
    expect((await fetch(`${ngrok.publicUrlFor('live-view.ngrok.app')}/index.html`)).status).toBe(200);
    const withRequest = await waitFor(app, /GET\s+200\s+\d\d:\d\d:\d\d\s+\d+ ms \/index\.html/);
    expect(withRequest).toContain('requests 1');
  });

  it('filters by text and by level, and clears the filter with Esc', async () => {
    const supervisor = flood(60);
    const mounted = mount(supervisor);
    const { app } = mounted;
    await supervisor.start();
    await waitFor(app, 'flood done');
    const { quits } = { quits: mounted.quits };
    await press(app, '/');
    // While the filter is typed, letters are text, not keys: "q" does not quit.
    await type(app, 'q');
    await waitFor(app, 'filter "q"▏');
    await press(app, 'backspace');
    await type(app, 'flood-5');
    let frame = await waitFor(app, 'filter "flood-5"▏');
    expect(quits).toEqual([]);
    await press(app, 'enter');
    frame = await waitFor(app, /filter "flood-5" · \d+ lines/);
    let rows = logRows(frame);
    expect(rows.length).toBe(10);
    expect(rows.every((r) => /id=flood-5\d?\b/.test(r))).toBe(true);
    await press(app, 'escape');
    await waitFor(app, /log · all levels · \d+ lines/);

    await press(app, 'l');
    frame = await waitFor(app, 'log · info+');
    expect(logRows(frame).length).toBe(10);
    expect(logRows(frame).some((r) => r.includes(' DBUG '))).toBe(false);
    await press(app, 'l');
    frame = await waitFor(app, 'log · warn+');
    rows = logRows(frame);
    expect(rows.length).toBe(10);
    expect(rows.every((r) => r.includes(' WARN slow upstream'))).toBe(true);
    await press(app, 'l');
    await press(app, 'l');
    frame = await waitFor(app, 'log · all levels');
    expect(logRows(frame).some((r) => r.includes(' DBUG '))).toBe(true);
  });

  it('keys take effect while 100,000 lines flood in, and rendering stays throttled', async () => {
    const supervisor = flood(100_000, { NGROK_FLOOD_DELAY_MS: '300' });
    const { app, quits } = mount(supervisor);
    await supervisor.start();
    await waitFor(app, '● online');
    // Wait until the flood is under way.
    const deadline = Date.now() + 10_000;
    while (!/· ([1-9]\d{3,}) lines/.test(plain(app.lastFrame())) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    const framesBefore = app.frames.length;
    const startedAt = Date.now();
    const pressedAt = performance.now();
    app.stdin.write('p');
    const paused = await waitFor(app, /PAUSED \(\d+ new\)/, 2000);
    // From the key to the frame that shows it, as written: waitFor's polling and settling, which a
    // busy machine stretches, are the test's own time, not the live view's.
    const pausedFrame = app.frames.findIndex(
      (frame, i) => i >= framesBefore && /PAUSED \(\d+ new\)/.test(plain(frame)),
    );
    const latency = app.frameTimes[pausedFrame]! - pressedAt;
    const seenAtPause = Number(/· (\d+) lines/.exec(paused)![1]);
    expect(latency).toBeLessThan(300);
    // The flood was still on when the key took effect.
    expect(seenAtPause).toBeLessThan(100_000);
    // Paused: the log rows stay put while lines keep arriving.
    const frozen = logRows(paused).join('\n');
    await new Promise((r) => setTimeout(r, 250));
    expect(logRows(plain(app.lastFrame())).join('\n')).toBe(frozen);
    app.stdin.write('p');
    await waitFor(app, /log · all levels · \d+ lines$/m);
    await waitFor(app, 'flood done', 30_000);
    const seconds = (Date.now() - startedAt) / 1000;
    const renders = app.frames.length - framesBefore;
    expect(renders / seconds).toBeLessThanOrEqual(30);
    expect(plain(app.lastFrame())).toContain('· 100005 lines');
    await press(app, 'q');
    expect(quits).toHaveLength(1);
  });

  it('opens the URL, copies it with OSC 52, and shows it as a QR code', async () => {
    const supervisor = flood(5, { NGROK_FLOOD_URL: 'https://copy-me.ngrok.app' });
    const { app, opened } = mount(supervisor, {
      reach: (url) => (url === 'https://flood.ngrok.app' ? 'http://127.0.0.1:1/' : undefined),
    });
    await press(app, 'o');
    await waitFor(app, 'No URL yet');
    await supervisor.start();
    await waitFor(app, /● online\s+https:\/\/flood\.ngrok\.app\s+up/);
    expect(plain(app.lastFrame())).toContain('here: http://127.0.0.1:1/');
    await press(app, 'o');
    await waitFor(app, 'Opened http://127.0.0.1:1/ in your browser.');
    expect(opened).toEqual(['http://127.0.0.1:1/']);
    await press(app, 'c');
    await waitFor(app, 'Copied http://127.0.0.1:1/');
    expect(app.frames).toContain(osc52('http://127.0.0.1:1/', {}));
    await press(app, 'm');
    const frame = await waitFor(app, 'Scan to open http://127.0.0.1:1/');
    for (const line of (await qrLines('http://127.0.0.1:1/')).filter((l) => l.trim()))
      expect(frame).toContain(line.trimEnd());
    await press(app, 'm');
    await waitFor(app, 'QR code');
    expect(plain(app.lastFrame())).not.toContain('Scan to open');
  });

  it('`tunnel` fits 80×24 and 60×20 with its header, title and hints; the QR code is drawn only whole, else the size it needs', async () => {
    // As long as the sandbox's: a version-2 code, 15 rows of half blocks.
    const loopback = 'http://127.0.0.1:43673/';
    for (const size of [
      [80, 24],
      [60, 20],
      [100, 40],
    ] as const) {
      const supervisor = flood(500);
      const { app } = mount(supervisor, { reach: () => loopback, logRows: undefined }, size);
      await supervisor.start();
      let frame = await waitFor(app, 'flood done', 30_000);
      const [columns, rows] = size;
      const lines = frame.replace(/\n$/, '').split('\n');
      expect(lines[0]).toContain('ngrok-fusionauth tunnel');
      expect(lines.slice(1, 3).join('\n')).toContain('Tunnel');
      expect(lines.at(-1)).toContain('? all keys');
      expect(frame).toMatch(/● online/);
      await press(app, 'm');
      frame = await waitFor(app, /Scan to open|needs a terminal/);
      const qr = (await qrLines(loopback)).filter((l) => l.trim());
      if (rows >= 40) {
        // 100×40 has room: the whole code, and what it carries.
        expect(frame).toContain(`Scan to open ${loopback}`);
        expect(frame).toContain('A loopback address: only this machine can open it.');
        for (const line of qr) expect(frame).toContain(line.trimEnd());
      } else {
        const text = frame.replace(/\s+/g, ' ');
        expect(text).toMatch(/The QR code needs a terminal of at least \d+×\d+ to be drawn whole/);
        expect(text).toContain(`(this one is ${columns}×${rows})`);
        expect(text).toContain(`It would carry ${loopback}, a loopback address that only this machine can open.`);
        expect(frame).not.toContain(qr[3]!.trimEnd());
      }
      const tallest = Math.max(...app.frames.map(frameHeight));
      expect(tallest, `${columns}×${rows}`).toBeLessThanOrEqual(rows);
      app.unmount();
      await stopAll();
    }
  });

  it('says in the status line that the site is down while visitors get ERR_NGROK_8012, until it answers again', async () => {
    const port = await unusedPort();
    // A site nobody started yet: the agent runs, nothing listens on its port.
    const supervisor = new AgentSupervisor({
      bin: ngrok.agentPath,
      args: ['http', String(port), '--url', 'https://site-down.internal'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    const { app } = mount(supervisor);
    await supervisor.start();
    await waitFor(app, '● online');
    await ngrokCall(ngrok, 'POST', '/reserved_domains', { domain: 'site-down.ngrok.app' });
    await ngrokCall(ngrok, 'POST', '/endpoints', {
      type: 'cloud',
      url: 'https://site-down.ngrok.app',
      traffic_policy: JSON.stringify({
        on_http_request: [{ actions: [{ type: 'forward-internal', config: { url: 'https://site-down.internal' } }] }],
      }),
    });
    const visit = () => fetch(`${ngrok.publicUrlFor('site-down.ngrok.app')}/`);
    const refused = await visit();
    expect(refused.headers.get('ngrok-error-code')).toBe('ERR_NGROK_8012');
    const frame = await waitFor(
      app,
      `Nothing answers at localhost:${port}: visitors get ERR_NGROK_8012 (the site is down).`,
    );
    expect(frame).toContain(`→ Start the site server (python3 -m http.server ${port} --bind 127.0.0.1)`);
    expect(frame).toMatch(/● online/);

    // Someone starts the site: the next visitor gets through, and the notice goes.
    const siteDir = tempDir('site-down-');
    await writeSiteFile(siteDir);
    // Stopped with the others by stopAll() after the test.
    await startSiteServer({ dir: siteDir, port });
    expect((await visit()).status).toBe(200);
    const deadline = Date.now() + 5000;
    while (plain(app.lastFrame()).includes('Nothing answers') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(plain(app.lastFrame())).not.toContain('Nothing answers');
    expect(supervisor.status.siteDown).toBeUndefined();
  });
});

describe('clipboard and QR helpers', () => {
  it('OSC 52 carries the text in base64, wrapped for tmux when inside it', () => {
    expect(osc52('https://x.ngrok.app', {})).toBe(
      `\u001b]52;c;${Buffer.from('https://x.ngrok.app').toString('base64')}\u0007`,
    );
    expect(osc52('a', { TMUX: '/tmp/tmux-0/default,1,0' })).toBe('\u001bPtmux;\u001b\u001b]52;c;YQ==\u0007\u001b\\');
  });

  it("qrcode 1.5.4's utf8 renderer throws on an odd margin (the defect qr.ts avoids)", async () => {
    await expect(QRCode.toString('https://x.ngrok.app', { type: 'utf8', margin: 1 })).rejects.toThrow(RangeError);
    const lines = await qrLines('https://x.ngrok.app');
    expect(lines.length).toBeGreaterThan(10);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
