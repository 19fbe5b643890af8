// The wizard's offer at Before You Start, driven like a keyboard: a FusionAuth only this machine
// reaches (the sandbox's privateFusionAuth) → "Publish it …?" → p → a second domain is reserved and
// becomes FusionAuth's public URL, shown on the screen and kept in the store for the next sections.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { stopAll } from '../../src/core/process';
import { Store } from '../../src/core/store';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { App, type ExitReason } from '../../src/ui/App';
import { tempDir } from '../helpers/cli';
import { frameHeight, press, render, waitFor } from '../helpers/ink';
import { unusedPort } from '../helpers/ports';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ privateFusionAuth: true });
});
afterAll(async () => {
  await sandbox?.close();
});
afterEach(() => stopAll());

it('offers to publish a FusionAuth that ngrok cannot reach, and p publishes it', async () => {
  const root = tempDir();
  const configDir = path.join(root, 'config');
  const exits: ExitReason[] = [];
  const app = render(
    <App
      ctx={{
        store: Store.open(configDir),
        options: { sandbox: true, siteDir: path.join(root, 'site'), port: await unusedPort() },
        env: { ...process.env, ...sandbox.env },
        reach: (url) => sandbox.publicUrlFor(url),
        sandboxLogin: sandbox.demoUser,
        sandboxPrivateFusionAuth: true,
      }}
      onExit={(reason) => exits.push(reason)}
    />,
  );
  try {
    await waitFor(app, 'FusionAuth URL:');
    await press(app, 'enter');
    let frame = await waitFor(app, 'yes, publish it');
    expect(frame).toContain("ngrok's cloud cannot reach FusionAuth here");
    expect(frame).toMatch(/local or private address/);
    await press(app, 'p');
    frame = await waitFor(app, /public domain \S+\.ngrok\.app reserved/);
    const publicUrl = Store.open(configDir).values.fusionauthPublicUrl;
    expect(publicUrl).toMatch(/^https:\/\/\S+\.ngrok\.app$/);
    expect(frame).toContain('FusionAuth public URL:');
    expect(frame).not.toMatch(/local or private address/);
    await waitFor(app, 'continue');
  } finally {
    app.unmount();
  }
  expect(exits).toEqual([]);
});

it('the publish question fits the one frame at 80×24 and 60×20', async () => {
  for (const [columns, rows] of [
    [80, 24],
    [60, 20],
  ] as const) {
    const root = tempDir();
    const app = render(
      <App
        ctx={{
          store: Store.open(path.join(root, 'config')),
          options: { sandbox: true, siteDir: path.join(root, 'site'), port: await unusedPort() },
          env: { ...process.env, ...sandbox.env },
          reach: (url) => sandbox.publicUrlFor(url),
          sandboxLogin: sandbox.demoUser,
          sandboxPrivateFusionAuth: true,
        }}
        onExit={() => undefined}
      />,
      columns,
      rows,
    );
    try {
      await waitFor(app, 'FusionAuth URL:');
      await press(app, 'enter');
      await waitFor(app, /publish it/);
      const tallest = Math.max(...app.frames.map(frameHeight));
      expect(tallest, `${columns}×${rows}`).toBeLessThanOrEqual(rows);
    } finally {
      app.unmount();
    }
  }
});
