// The app shell: the guide's sections down the side with their progress, the current screen beside.
// It owns navigation and reports Ctrl-C as its `interrupted` exit; the lifecycle root
// (src/commands/lifecycle.ts, through ink-lifecycle.tsx) owns the abort, exit and cleanup.
// The shell draws from the catalog and the store alone; the steps and their screens (sections.ts)
// load while its first frame is on screen, and until then a section shows its introduction.
import { Text, useInput } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import { STEP_IDS, type StepId } from '../core/constants';
import { describeError } from '../core/errors';
import { SECTION_EXPLAIN, SECTION_TITLES } from '../steps/catalog';
import { resumePoint, statusOf } from '../steps/progress';
import type { StepContext } from '../steps/types';
import { Screen } from './components/Screen';
import { Spinner } from './components/Spinner';
import { ShellProvider } from './layout/shell-context';
import { ResumeScreen, type ResumeChoice } from './screens/ResumeScreen';
import { loadSections, type Sections } from './load-sections';

export type ExitReason = 'finished' | 'quit' | 'interrupted';

type View =
  { kind: 'resume' } | { kind: 'rechecking'; at?: StepId } | { kind: 'step'; index: number } | { kind: 'done' };

interface Props {
  ctx: Omit<StepContext, 'signal'>;
  /** The lifecycle root's signal: work the shell starts (the re-check) stops when it aborts. */
  signal?: AbortSignal;
  onExit(reason: ExitReason): void;
}

export function App({ ctx, signal, onExit }: Props) {
  const { store } = ctx;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [view, setView] = useState<View>(() => {
    const point = resumePoint(store.steps);
    return point.started ? { kind: 'resume' } : { kind: 'step', index: 0 };
  });

  useInput((text, key) => {
    if (key.ctrl && text === 'c') onExit('interrupted');
  });

  // Aborted when the app unmounts (quit, finished, interrupted): a re-check still running stops then,
  // and its answer is not applied to an app that is gone.
  const unmounted = useRef(new AbortController());
  useEffect(() => {
    const controller = unmounted.current;
    return () => controller.abort();
  }, []);

  const [sections, setSections] = useState<Sections>();
  const [loadError, setLoadError] = useState<string>();
  useEffect(() => {
    let live = true;
    loadSections().then(
      (loaded) => live && setSections(loaded),
      (error: unknown) => live && setLoadError(describeError(error)),
    );
    return () => {
      live = false;
    };
  }, []);

  // Review walks every section; otherwise finishing a section skips those already done.
  const [reviewing, setReviewing] = useState(false);
  const goTo = (index: number) =>
    setView(index >= STEP_IDS.length ? { kind: 'done' } : { kind: 'step', index: Math.max(0, index) });
  const advanceFrom = (index: number) => {
    if (reviewing) return goTo(index + 1);
    const steps = store.steps;
    const next = STEP_IDS.findIndex((id, i) => i > index && statusOf(steps, id) !== 'done');
    goTo(next === -1 ? STEP_IDS.length : next);
  };

  const chooseResume = (choice: ResumeChoice) => {
    if (choice === 'review') {
      setReviewing(true);
      return goTo(0);
    }
    if (choice === 'restart') {
      store.clearSteps();
      return goTo(0);
    }
    setView({ kind: 'rechecking' });
    const recheckSignal = signal ? AbortSignal.any([signal, unmounted.current.signal]) : unmounted.current.signal;
    void loadSections()
      .then(({ recheck }) => recheck({ ...ctx, signal: recheckSignal }, (at) => setView({ kind: 'rechecking', at })))
      .then(
        (id) => {
          if (recheckSignal.aborted) return;
          redraw();
          goTo(id ? STEP_IDS.indexOf(id) : STEP_IDS.length);
        },
        () => !recheckSignal.aborted && goTo(0),
      );
  };

  const quit = () => onExit('quit');

  // Test It Out is a live view of its own; every other section is the generic step screen. (A plain
  // function, not a component defined here: that would be a new component type on every render.)
  const sectionScreen = (index: number) => {
    const id = STEP_IDS[index]!;
    if (!sections) {
      return (
        <Screen
          title={SECTION_TITLES[id]}
          body={<Text dimColor>{SECTION_EXPLAIN[id]}</Text>}
          action={
            loadError ? (
              <>
                <Text color="red">✘ The wizard's steps could not be loaded: {loadError}</Text>
                <Text dimColor> → Reinstall, or run `npm run build` in a clone.</Text>
              </>
            ) : (
              <Spinner label="Checking what already holds…" />
            )
          }
          keys={[{ key: 'q', label: 'quit', run: quit }]}
        />
      );
    }
    const { STEPS, StepScreen, TestItOutScreen } = sections;
    const step = STEPS[index]!;
    const common = {
      step,
      ctx,
      onChange: redraw,
      onDone: () => advanceFrom(index),
      onSkip: () => goTo(index + 1),
      onBack: index > 0 ? () => goTo(index - 1) : undefined,
      onQuit: quit,
    };
    return step.id === 'test' ? <TestItOutScreen key={index} {...common} /> : <StepScreen key={index} {...common} />;
  };

  const currentId = view.kind === 'step' ? STEP_IDS[view.index]! : view.kind === 'rechecking' ? view.at : undefined;
  // The steps are taken once per render: the getter returns the store's snapshot (reloaded before each
  // write when the file changed, core/store/store.ts), the same for every row below.
  const steps = store.steps;
  const items = STEP_IDS.map((id) => ({ id, title: SECTION_TITLES[id], status: statusOf(steps, id) }));
  const point = resumePoint(steps);
  const nextTitle = SECTION_TITLES[point.next];

  return (
    <ShellProvider
      value={{
        title: 'ngrok-fusionauth',
        purpose: 'protect a local site with ngrok and FusionAuth',
        sandbox: ctx.options.sandbox,
        sections: { items, current: currentId },
      }}
    >
      {view.kind === 'resume' ? (
        <ResumeScreen
          nextTitle={nextTitle}
          finished={point.allDone}
          configPath={store.path}
          onChoose={chooseResume}
          onQuit={quit}
        />
      ) : null}
      {view.kind === 'rechecking' ? (
        <Screen
          title={view.at ? SECTION_TITLES[view.at] : 'Welcome back'}
          action={<Spinner label="Checking that the finished steps still hold…" />}
          keys={[{ key: 'q', label: 'quit', run: quit }]}
        />
      ) : null}
      {view.kind === 'step' ? sectionScreen(view.index) : null}
      {view.kind === 'done' && sections ? (
        <sections.DoneScreen
          values={store.values}
          ctx={ctx}
          onExit={() => onExit('finished')}
          onBack={() => goTo(STEP_IDS.length - 1)}
        />
      ) : null}
    </ShellProvider>
  );
}
