// Test It Out, live: the screen starts the tunnel (site server and agent, supervised), shows the agent's
// life as it happens, and proves the protection each time the agent comes online, one line per check.
// Leaving the screen stops what it started; `ngrok-fusionauth tunnel` runs the same view on its own.
import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { AgentSupervisor } from '../../core/agent';
import { describeError } from '../../core/errors';
import { errorFinding, finding, type Finding } from '../../core/findings';
import { runCheck } from '../../steps/engine';
import { tunnelPlan } from '../../core/tunnel';
import type { StepContext } from '../../steps/types';
import { Findings } from '../components/Findings';
import { useLiveView, type LiveSource } from '../components/LiveView';
import { Screen } from '../components/Screen';
import { Spinner } from '../components/Spinner';
import type { KeyBinding } from '../keymap';
import type { SectionProps } from './section-props';

type Verification = { kind: 'waiting' } | { kind: 'running' } | { kind: 'done'; ok: boolean; findings: Finding[] };

interface Props extends SectionProps {
  /** Opens a URL in a browser (the `open` package by default). */
  openUrl?(url: string): Promise<unknown>;
}

export function TestItOutScreen({ step, ctx, onDone, onSkip, onBack, onChange, onQuit, openUrl }: Props) {
  const abort = useRef(new AbortController());
  // This screen runs the tunnel it checks: an endpoint nobody serves is its failure to show, not a stopped tunnel.
  const stepCtx = useMemo<StepContext>(() => ({ ...ctx, signal: abort.current.signal, tunnelRunsHere: true }), [ctx]);
  // A new generation is a new tunnel: `r` starts it again after it failed (the fix made elsewhere).
  const [generation, setGeneration] = useState(0);
  const tunnel = useMemo<AgentSupervisor | Finding>(() => {
    try {
      return new AgentSupervisor(tunnelPlan(stepCtx));
    } catch (error) {
      return errorFinding(error);
    }
  }, [stepCtx, generation]);
  const supervisor = tunnel instanceof AgentSupervisor ? tunnel : undefined;
  const [failed, setFailed] = useState(false);
  const [verification, setVerification] = useState<Verification>({ kind: 'waiting' });
  const previous = useRef<Promise<void>>(Promise.resolve());
  const running = useRef(false);

  const verify = () => {
    if (running.current) return;
    running.current = true;
    setVerification({ kind: 'running' });
    runCheck(step, stepCtx).then(
      (result) => {
        running.current = false;
        if (abort.current.signal.aborted) return;
        onChange();
        setVerification({ kind: 'done', ok: result.done, findings: result.findings });
      },
      (error: unknown) => {
        running.current = false;
        if (abort.current.signal.aborted) return;
        setVerification({ kind: 'done', ok: false, findings: [finding.error(describeError(error))] });
      },
    );
  };

  useEffect(() => {
    if (!supervisor) return;
    // Each time the agent comes online (first start, restart, reconnect), prove it again; when it
    // gives up, the checks say why the setup is wrong (an issuer the agent refused, say).
    let wasOnline = false;
    setFailed(false);
    const off = supervisor.onStatus((status) => {
      const online = status.state.kind === 'online';
      if (online && !wasOnline) verify();
      wasOnline = online;
      if (status.state.kind === 'failed') {
        setFailed(true);
        verify();
      }
    });
    // A restarted tunnel waits for the previous one (and its site server) to be gone.
    let cancelled = false;
    void previous.current.then(async () => {
      if (!cancelled) await supervisor.start().catch(() => undefined);
    });
    return () => {
      cancelled = true;
      off();
      previous.current = supervisor.stop();
    };
  }, [supervisor]);
  useEffect(() => () => abort.current.abort(), []);

  const live = useLiveView({
    source: supervisor ?? IDLE,
    reach: ctx.reach,
    requestRows: 3,
    // The checks above the log: their heading and a line each, the verdict, a blank.
    reserved: 3 + (verification.kind === 'done' ? verification.findings.length : 1),
    onQuit,
    openUrl,
  });

  const ok = verification.kind === 'done' && verification.ok;
  // Test It Out's keys, then the live view's (in the filter, only the filter's: Enter applies it).
  const keys: KeyBinding[] = [
    ...(live.typing
      ? []
      : [
          { key: 'enter', label: 'continue', when: ok, run: onDone },
          { key: 'v', label: 'verify again', when: Boolean(supervisor), run: verify },
          {
            key: 'r',
            label: 'restart the tunnel',
            when: failed,
            run: () => {
              setVerification({ kind: 'waiting' });
              setGeneration((g) => g + 1);
            },
          },
          { key: 's', label: 'skip for now', run: onSkip },
          {
            key: 'esc',
            label: 'back',
            when: Boolean(onBack) && !live.keys.some((k) => k.key === 'esc' && k.when),
            run: () => onBack?.(),
          },
        ]),
    ...(supervisor ? live.keys : [{ key: 'q', label: 'quit', run: onQuit }]),
  ];

  const checks = (
    <Box flexDirection="column">
      <Text bold>Checks</Text>
      {verification.kind === 'waiting' && supervisor ? (
        <Text dimColor>They run as soon as the agent is online.</Text>
      ) : null}
      {verification.kind === 'running' ? (
        <Spinner label="Verifying: issuer, redirect to the login, FusionAuth's answer…" />
      ) : null}
      {verification.kind === 'done' ? <Findings findings={verification.findings} /> : null}
      {ok ? <Text color="green">The site is protected: strangers must log into FusionAuth first.</Text> : null}
    </Box>
  );
  const body = (
    <Box flexDirection="column">
      {checks}
      <Box marginTop={1} flexDirection="column">
        {supervisor ? live.body : <Findings findings={[tunnel as Finding]} />}
      </Box>
      <Box marginTop={1}>
        <Text dimColor>{step.explain}</Text>
      </Box>
    </Box>
  );

  return (
    <Screen
      title={step.title}
      body={body}
      status={supervisor ? live.status : undefined}
      keys={keys}
      typing={live.typing}
    />
  );
}

/** A source that never changes: the live view's hooks run even when the tunnel could not be planned. */
const IDLE: LiveSource = {
  status: { state: { kind: 'stopped' }, restarts: 0, requests: 0 },
  recentRequests: [],
  commandLine: '',
  onLine: () => () => undefined,
  onStatus: () => () => undefined,
};
