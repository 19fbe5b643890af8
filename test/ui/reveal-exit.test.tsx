// A secret revealed on screen (`v`) is masked again before the app ends: Ink leaves its last frame in
// the terminal (and in CI draws only that frame), so Ctrl-C — or a stop signal — with the secret
// revealed must not leave it there. Through the one Ink lifecycle the wizard runs in (runInkApp), with
// the Set Up FusionAuth screen against the sandbox IdP, driven like a keyboard.
import { useInput } from 'ink';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { runApply } from '../../src/steps/engine';
import { fusionauth } from '../../src/steps/fusionauth';
import type { StepContext } from '../../src/steps/types';
import { runInkApp } from '../../src/ui/ink-lifecycle';
import { StepScreen } from '../../src/ui/screens/StepScreen';
import { startIdp, type Idp } from '../../src/sandbox/idp/index';
import { contextFor } from '../helpers/fusionauth-admin';
import { FakeStdin, FakeStdout, KEYS, plain } from '../helpers/ink';

let idp: Idp | undefined;
afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

/** What App does with Ctrl-C: the app says it is interrupted; the lifecycle ends it. */
function CtrlC({ exit, children }: { exit: (reason: string) => void; children: ReactNode }) {
  useInput((text, key) => key.ctrl && text === 'c' && exit('interrupted'));
  return <>{children}</>;
}

async function until(frames: string[], test: (frame: string) => boolean, what: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const frame = plain(frames.at(-1));
    if (test(frame)) return frame;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${what} on screen:\n${plain(frames.at(-1))}`);
}

describe('a revealed secret at exit', () => {
  it('Ctrl-C with the client secret revealed: the last frame shows it masked', async () => {
    idp = await startIdp();
    const ctx = contextFor(idp);
    expect((await runApply(fusionauth, ctx, { applicationName: 'ngrok', setIssuer: 'yes' })).status).toBe('done');
    const secret = ctx.store.values.clientSecret!;
    const { signal: _signal, ...base } = ctx;

    const stdout = new FakeStdout(200);
    const stdin = new FakeStdin();
    // The lifecycle root's part: the Ctrl-C key aborts it, and its abort ends the app.
    const controller = new AbortController();
    const ended = runInkApp<string>(
      { signal: controller.signal, interrupt: () => controller.abort() },
      (exit) => (
        <CtrlC exit={exit}>
          <StepScreen
            step={fusionauth}
            ctx={base as Omit<StepContext, 'signal'>}
            onDone={() => {}}
            onSkip={() => {}}
            onChange={() => {}}
            onQuit={() => {}}
          />
        </CtrlC>
      ),
      'interrupted',
      undefined,
      {
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: stdin as unknown as NodeJS.ReadStream,
        stderr: new FakeStdout(200) as unknown as NodeJS.WriteStream,
        debug: true,
        patchConsole: false,
      },
    );
    await until(stdout.frames, (f) => f.includes(`Client secret: ••••••••${secret.slice(-4)}`), 'the masked secret');
    await new Promise((r) => setTimeout(r, 40));
    stdin.write('v');
    await until(stdout.frames, (f) => f.includes(`Client secret: ${secret}`), 'the revealed secret');
    await new Promise((r) => setTimeout(r, 40));
    stdin.write(KEYS.ctrlC);
    expect(await ended).toBe('interrupted');
    // The last frame drawn (Ink ends with a bare line break): what stays in the terminal.
    const last = plain(stdout.frames.filter((f) => plain(f).trim()).at(-1));
    expect(last).toContain(`Client secret: ••••••••${secret.slice(-4)}`);
    expect(last).not.toContain(secret);
  });
});
