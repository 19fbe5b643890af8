// A window on the sandbox's management APIs (FusionAuth's /api/* and the ngrok API) for tests that
// must act at an exact request: the reliability suite kills the wizard while its k-th call is in
// flight, and decides whether the call lands or not, with nobody left to read the answer. A tap sees
// each request twice and may hold it at either point:
//   arrived   before anything is done: holding holds the call; rejecting drops it, unhandled;
//   answering once it was handled (the change is made), before the answer is written: holding
//             holds only the answer.
// Without a tap nothing changes.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export type ApiService = 'fusionauth' | 'ngrok';

export interface TappedRequest {
  /** 1, 2, 3… in arrival order, across both services. */
  n: number;
  service: ApiService;
  method: string;
  /** The path without the query string. */
  path: string;
  /** Resolves once the client's connection has closed (the client went away, or closed it). */
  clientGone: Promise<void>;
  /** Resolves with the status once the answer was written (into a closed connection, maybe); 0 when dropped. */
  handled: Promise<number>;
}

export interface ApiTap {
  arrived?(request: TappedRequest): void | Promise<void>;
  answering?(request: TappedRequest): void | Promise<void>;
}

/** What a server does with one tapped request. */
export interface TapTurn {
  /** Before writing the answer. */
  answering(): Promise<void>;
  /** After writing it, with its status. */
  answered(status: number): void;
}

/** One counter for both services: the k-th call of a run, whichever service it goes to. */
export class ApiTapCounter {
  private count = 0;
  /** One listener per connection, however many keep-alive requests it carries. */
  private readonly closed = new WeakMap<Socket, Promise<void>>();
  constructor(readonly tap: ApiTap) {}

  private closeOf(socket: Socket): Promise<void> {
    let closed = this.closed.get(socket);
    if (!closed) {
      closed = socket.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => socket.once('close', () => resolve()));
      this.closed.set(socket, closed);
    }
    return closed;
  }

  /** Runs `arrived`; rejects when the tap drops the request (the server then closes the connection). */
  async arrive(service: ApiService, req: IncomingMessage): Promise<TapTurn> {
    let answered!: (status: number) => void;
    const handled = new Promise<number>((resolve) => (answered = resolve));
    const clientGone = this.closeOf(req.socket);
    const request: TappedRequest = {
      n: ++this.count,
      service,
      method: (req.method ?? 'GET').toUpperCase(),
      path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
      clientGone,
      handled,
    };
    try {
      await this.tap.arrived?.(request);
    } catch (error) {
      answered(0);
      throw error;
    }
    return { answering: async () => this.tap.answering?.(request), answered };
  }
}
