// Secrets revealed on screen (`v`) are masked again before the app ends. Ink leaves its last frame in
// the terminal (in CI it draws only that frame), so a secret on screen at Ctrl-C, `q` or a stop signal
// would stay in the scrollback. The lifecycle (ink-lifecycle.tsx) conceals every reveal and lets the
// masked frame be drawn before it unmounts; screens ask useReveal() instead of keeping their own flag.
import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from 'react';

/** Whether the app is ending, as a store React can subscribe to. */
export interface Concealer {
  concealed(): boolean;
  subscribe(listener: () => void): () => void;
  /** Masks every revealed secret from now on. */
  conceal(): void;
}

export function createConcealer(): Concealer {
  let concealed = false;
  const listeners = new Set<() => void>();
  return {
    concealed: () => concealed,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    conceal() {
      if (concealed) return;
      concealed = true;
      for (const listener of listeners) listener();
    },
  };
}

/** Outside a lifecycle (a screen drawn on its own in a test) nothing ever conceals. */
const NEVER: Concealer = { concealed: () => false, subscribe: () => () => undefined, conceal: () => undefined };
const ConcealContext = createContext<Concealer>(NEVER);

export function ConcealProvider({ concealer, children }: { concealer: Concealer; children: ReactNode }) {
  return <ConcealContext.Provider value={concealer}>{children}</ConcealContext.Provider>;
}

/** `[revealed, toggle]`: a screen's `v`, false again for good once the app is ending. */
export function useReveal(): [boolean, () => void] {
  const [revealed, setRevealed] = useState(false);
  const concealer = useContext(ConcealContext);
  const concealed = useSyncExternalStore(concealer.subscribe, concealer.concealed);
  return [revealed && !concealed, () => setRevealed((r) => !r)];
}
