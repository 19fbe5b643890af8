// Driving an Ink app like a person at a keyboard: type, press, wait for text. Like
// ink-testing-library's render, but with a wide terminal so that sentences are not wrapped.
import { render as inkRender, type Instance } from 'ink';
import { EventEmitter } from 'node:events';
import type { ReactNode } from 'react';
import { scaled } from './deadline';

export const KEYS = {
  enter: '\r',
  escape: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  backspace: '\u007f',
  ctrlC: '\u0003',
} as const;

export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  /** When each frame was written (performance.now()), for latencies that polling would inflate. */
  frameTimes: number[] = [];
  constructor(
    readonly columns: number,
    /** The terminal's height, which useWindowSize reports and the wizard's frame fits. */
    readonly rows = 60,
  ) {
    super();
  }
  write = (frame: string, ...rest: unknown[]) => {
    this.frames.push(frame);
    this.frameTimes.push(performance.now());
    // Ink waits for the write callback of its last frame when it unmounts (waitUntilExit).
    const done = rest.find((r): r is () => void => typeof r === 'function');
    done?.();
    return true;
  };
}

/** A keyboard: what Ink reads keys from (also used by the live-view benchmark). */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export interface TestApp {
  stdin: FakeStdin;
  lastFrame(): string;
  frames: string[];
  frameTimes: number[];
  unmount(): void;
  instance: Instance;
}

export function render(tree: ReactNode, columns = 200, rows = 60): TestApp {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(columns) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    stdin,
    frames: stdout.frames,
    frameTimes: stdout.frameTimes,
    lastFrame: () => stdout.frames.at(-1) ?? '',
    unmount: () => instance.unmount(),
    instance,
  };
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
export const plain = (frame: string | undefined) => (frame ?? '').replace(ANSI, '');

/** The rows a frame takes on screen (Ink ends a frame that does not fill the screen with a newline). */
export const frameHeight = (frame: string) => plain(frame).replace(/\n$/, '').split('\n').length;

/** Waits until the last frame contains the text (or matches), and returns it without colours. */
export async function waitFor(app: TestApp, expected: string | RegExp, timeoutMs = scaled(15_000)): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = plain(app.lastFrame());
    if (typeof expected === 'string' ? frame.includes(expected) : expected.test(frame)) {
      // Effects (input subscriptions) run just after the frame is written; a person is never faster.
      await new Promise((r) => setTimeout(r, 40));
      return frame;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(expected)}; last frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function type(app: TestApp, text: string): Promise<void> {
  app.stdin.write(text);
  await new Promise((r) => setTimeout(r, 30));
}

export async function press(app: TestApp, key: keyof typeof KEYS | string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    app.stdin.write(key in KEYS ? KEYS[key as keyof typeof KEYS] : key);
    await new Promise((r) => setTimeout(r, 30));
  }
}
