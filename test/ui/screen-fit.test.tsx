// Every screen of the wizard fits the terminal (R2 4/5, items 1 and 2): at 80×24 and 60×20 each frame
// Ink writes is at most as tall as the terminal (a taller one is reprinted into the scrollback on every
// tick), and the header, the section's title and the key hints are on it. The walk is a finished
// sandbox setup reviewed section by section, through Test It Out's live view to the summary, plus a
// fresh setup's first form; each screen is captured as text into the test's output directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../src/core/constants';
import { stopAll } from '../../src/core/process';
import { Store } from '../../src/core/store';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { SECTION_TITLES } from '../../src/steps/catalog';
import type { StepContext } from '../../src/steps/types';
import { App } from '../../src/ui/App';
import { runCli, tempDir } from '../helpers/cli';
import { frameHeight, plain, press, render, waitFor, type TestApp } from '../helpers/ink';
import { unusedPort } from '../helpers/ports';

const SIZES = [
  [80, 24],
  [60, 20],
] as const;

let configDir: string;
let sandbox: Sandbox;
const captures = process.env.SCREEN_CAPTURES ?? path.join(tempDir('screen-fit-'), 'captures');
let app: TestApp | undefined;

beforeAll(async () => {
  const root = tempDir('screen-fit-');
  configDir = path.join(root, 'config');
  const setup = await runCli(
    [
      '--config-dir',
      configDir,
      'setup',
      '--no-input',
      '--sandbox',
      '--site-dir',
      path.join(root, 'site'),
      '--port',
      String(await unusedPort()),
    ],
    { timeout: 120_000 },
  );
  expect(setup.exitCode, setup.stdout + setup.stderr).toBe(0);
  sandbox = await startSandbox({ dataDir: path.join(configDir, 'sandbox') });
  mkdirSync(captures, { recursive: true });
}, 180_000);
afterEach(async () => {
  app?.unmount();
  app = undefined;
  await stopAll();
});
afterAll(async () => {
  await sandbox?.close();
});

function context(dir: string): Omit<StepContext, 'signal'> {
  return {
    store: Store.open(dir),
    options: { sandbox: true, fusionauthUrl: sandbox.fusionauth.url },
    env: { ...process.env, ...sandbox.env },
    reach: (url) => sandbox.publicUrlFor(url),
    sandboxLogin: sandbox.demoUser,
  };
}

/** Every frame so far fits; the last has the header, `title` and the hints; it is kept as a capture. */
function fits(testApp: TestApp, [columns, rows]: readonly [number, number], title: string, name: string) {
  const tallest = Math.max(...testApp.frames.map(frameHeight));
  expect(tallest, `a frame of ${tallest} rows on a ${columns}×${rows} terminal`).toBeLessThanOrEqual(rows);
  const frame = plain(testApp.lastFrame());
  const lines = frame.replace(/\n$/, '').split('\n');
  expect(lines[0]).toContain('ngrok-fusionauth');
  expect(frame).toContain(title);
  const hints = lines.filter((l) => l.trim()).at(-1)!;
  expect(hints, frame).toMatch(/\? all keys|q quit|esc back/);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
  // The scroll indicator is a line of its own: nothing of the body is drawn over it.
  for (const line of lines.filter((l) => /^ [↑↓] \d+ more/.test(l)))
    expect(line, frame).toMatch(/^ (↑ \d+ more)?( · )?(↓ \d+ more)?$/);
  writeFileSync(path.join(captures, `${name}-${columns}x${rows}.txt`), frame);
}

describe('every screen fits the terminal', () => {
  for (const size of SIZES) {
    const [columns, rows] = size;
    it(`at ${columns}×${rows}: review of every section, Test It Out, the summary`, async () => {
      app = render(<App ctx={context(configDir)} onExit={() => undefined} />, columns, rows);
      await waitFor(app, 'Welcome back');
      fits(app, size, 'Welcome back', '0-resume');
      await press(app, '3');
      await press(app, 'enter');
      for (const [index, id] of STEP_IDS.entries()) {
        const title = `${index + 1}/7 ${SECTION_TITLES[id]}`;
        // Test It Out is done when its checks pass: then Enter continues, and its hint says so.
        await waitFor(app, id === 'test' ? 'enter continue' : 'This step is done', 60_000);
        await waitFor(app, title);
        fits(app, size, title, `${index + 1}-${id}`);
        await press(app, 'enter');
      }
      await waitFor(app, 'Your site is set up', 30_000);
      fits(app, size, 'Done', '8-done');
    }, 180_000);

    it(`at ${columns}×${rows}: a fresh setup's first form`, async () => {
      const fresh = path.join(tempDir('screen-fit-fresh-'), 'config');
      app = render(<App ctx={context(fresh)} onExit={() => undefined} />, columns, rows);
      await waitFor(app, 'This step is done', 30_000);
      fits(app, size, `1/7 ${SECTION_TITLES.prereqs}`, '1-prerequisites-fresh');
      await press(app, 'enter');
      await waitFor(app, 'Folder:');
      fits(app, size, `2/7 ${SECTION_TITLES.site}`, '2-application-form');
    }, 60_000);
  }
});
