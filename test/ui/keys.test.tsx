// The keys of a section's screen do what their hints say (R2 4/5 item 4), driven like a keyboard on
// Set Up The Application: its form, a refused empty field (item 6), the y/n question about a port in
// use (Esc goes back from it, and says so), `?` listing every key, `q` quitting where no field has the
// keyboard. The site is real: python's http.server on 127.0.0.1, and a real listener holds the port.
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopAll } from '../../src/core/process';
import { Store } from '../../src/core/store';
import { site } from '../../src/steps/site';
import type { StepContext } from '../../src/steps/types';
import { StepScreen } from '../../src/ui/screens/StepScreen';
import { tempDir } from '../helpers/cli';
import { plain, press, render, type, waitFor, type TestApp } from '../helpers/ink';
import { unusedPort } from '../helpers/ports';

let app: TestApp | undefined;
let holder: Server | undefined;
afterEach(async () => {
  app?.unmount();
  app = undefined;
  await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
  holder = undefined;
  await stopAll();
});

/** The hints line(s) of a frame: the last lines, `key label` pairs two spaces apart. */
const hintsOf = (frame: string) => frame.replace(/\n$/, '').split('\n').slice(-2).join('  ');

function mount(siteDir: string, port: number) {
  const events: string[] = [];
  const ctx: Omit<StepContext, 'signal'> = {
    store: Store.open(path.join(tempDir('keys-'), 'config')),
    options: { siteDir, port },
    env: { ...process.env },
  };
  app = render(
    <StepScreen
      step={site}
      ctx={ctx}
      onDone={() => events.push('done')}
      onSkip={() => events.push('skip')}
      onBack={() => events.push('back')}
      onQuit={() => events.push('quit')}
      onChange={() => {}}
    />,
    100,
    40,
  );
  return { app, events };
}

describe('a section screen’s keys', () => {
  it('Enter on an empty required field says what is missing; Esc steps back through the form, then leaves', async () => {
    const siteDir = path.join(tempDir('keys-site-'), 'apptoprotect');
    const { app, events } = mount(siteDir, await unusedPort());
    let frame = await waitFor(app, 'Folder:');
    expect(hintsOf(frame)).toContain('enter next');
    expect(hintsOf(frame)).toContain('esc back');
    // A text field has the keyboard: no q, no ?, no s in the hints, and q is typed, not obeyed.
    expect(hintsOf(frame)).not.toMatch(/\bq quit|\? all keys|s skip/);
    await press(app, '\u0015'); // Ctrl-U: the line emptied
    await press(app, 'enter');
    frame = await waitFor(app, 'The folder is empty.');
    expect(frame).toContain('Folder:');
    await type(app, siteDir);
    await press(app, 'enter');
    await waitFor(app, 'Port:');
    await press(app, 'escape');
    frame = await waitFor(app, 'Folder:');
    expect(frame).not.toContain('Port:');
    await press(app, 'escape');
    expect(events).toEqual(['back']);
  });

  it('the y/n question shows Esc and goes back on it; ? lists every key; q quits; y answers', async () => {
    const siteDir = path.join(tempDir('keys-site-'), 'apptoprotect');
    const port = await unusedPort();
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(port, '127.0.0.1', resolve));
    const { app, events } = mount(siteDir, port);
    await waitFor(app, 'Folder:');
    await press(app, 'enter');
    await waitFor(app, 'Port:');
    await press(app, 'enter');
    await waitFor(app, 'When the wizard exits:');
    await press(app, 'enter');
    let frame = await waitFor(app, /Use port \d+ instead, or stop\?/, 20_000);
    const hints = hintsOf(frame);
    expect(hints).toMatch(/y use port \d+/);
    expect(hints).toContain('esc back');
    expect(hints).toContain('q quit');

    await press(app, '?');
    frame = await waitFor(app, 'Keys');
    for (const line of ['y ', 's ', 'esc', 'q ']) expect(frame).toContain(line);
    expect(frame).toContain('close keys');
    await press(app, 'escape');
    frame = await waitFor(app, /Use port \d+ instead, or stop\?/);

    await press(app, 'escape');
    frame = await waitFor(app, 'Folder:');
    expect(frame).not.toMatch(/instead, or stop\?/);
    expect(events).toEqual([]);
    for (let i = 0; i < 3; i++) await press(app, 'enter');
    await waitFor(app, /Use port \d+ instead, or stop\?/, 20_000);
    await press(app, 'b');
    await press(app, 'q');
    expect(events).toEqual(['quit']);
    await press(app, 'y');
    frame = await waitFor(app, 'enter continue', 20_000);
    await press(app, 'enter');
    expect(events).toEqual(['quit', 'done']);
    expect(plain(app.lastFrame())).not.toContain(`port ${port} instead`);
  });
});
