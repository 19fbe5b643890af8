// The wizard's re-check of finished sections ("Resume") runs under the lifecycle root's signal and
// stops when it aborts, or when the app unmounts (quit, finished): a FusionAuth that never answers
// holds the re-check's request open, and that request is closed at once, not at its 10 s timeout.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { App } from '../../src/ui/App';
import { tempDir } from '../helpers/cli';
import { press, render, waitFor, type TestApp } from '../helpers/ink';

/** A FusionAuth stand-in on 127.0.0.1 that takes requests and never answers them. */
async function silentServer(): Promise<{ server: Server; url: string; nextRequest(): Promise<IncomingMessage> }> {
  const waiting: Array<(request: IncomingMessage) => void> = [];
  const server = createServer((request) => waiting.shift()?.(request));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

/** Resolves true when the client closes the request's connection within `ms`. */
function closedWithin(request: IncomingMessage, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    request.socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

let server: Server | undefined;
let app: TestApp | undefined;
afterEach(() => {
  app?.unmount();
  server?.closeAllConnections();
  server?.close();
  app = server = undefined;
});

describe('the re-check on Resume', () => {
  it.each([
    ["the root's signal aborts", (_app: TestApp, root: AbortController) => root.abort()],
    ['the app unmounts', (mounted: TestApp) => mounted.unmount()],
  ] as const)('stops when %s', async (_name, end) => {
    const fusionauth = await silentServer();
    server = fusionauth.server;
    const configDir = path.join(tempDir(), 'config');
    const store = Store.open(configDir);
    store.setValues({ fusionauthUrl: fusionauth.url });
    store.setStep('prereqs', 'done');
    const root = new AbortController();
    const ctx = { store, options: {}, env: { ...process.env, NGROK_BIN: path.join(configDir, 'no-ngrok-here') } };
    app = render(<App ctx={ctx} signal={root.signal} onExit={() => undefined} />);

    await waitFor(app, 'Welcome back');
    const request = fusionauth.nextRequest();
    await press(app, 'enter'); // Resume: the re-check of "Before You Start" asks FusionAuth
    const held = await request;
    end(app, root);
    // The request's own timeout is 10 s: closed well before, it was the abort that closed it.
    expect(await closedWithin(held, 3000)).toBe(true);
  });
});
