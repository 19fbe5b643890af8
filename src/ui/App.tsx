// The app shell: the guide's sections down the side with their progress, the current screen beside.
// It owns navigation and Ctrl-C; the lifecycle root (run.tsx) owns exit and cleanup.
import { Box, Text, useInput } from 'ink';
import { useReducer, useState } from 'react';
import type { StepId } from '../core/store';
import { recheck, resumePoint, statusOf } from '../steps/engine';
import { STEPS } from '../steps/index';
import type { StepContext } from '../steps/types';
import { SectionList } from './components/SectionList';
import { Spinner } from './components/Spinner';
import { DoneScreen } from './screens/DoneScreen';
import { ResumeScreen, type ResumeChoice } from './screens/ResumeScreen';
import { StepScreen } from './screens/StepScreen';
import { TestItOutScreen } from './screens/TestItOutScreen';

export type ExitReason = 'finished' | 'quit' | 'interrupted';

type View = { kind: 'resume' } | { kind: 'rechecking'; at?: StepId } | { kind: 'step'; index: number } | { kind: 'done' };

interface Props {
  ctx: Omit<StepContext, 'signal'>;
  onExit(reason: ExitReason): void;
}

export function App({ ctx, onExit }: Props) {
  const { store } = ctx;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [view, setView] = useState<View>(() => {
    const point = resumePoint(store);
    return point.started ? { kind: 'resume' } : { kind: 'step', index: 0 };
  });

  useInput((text, key) => {
    if (key.ctrl && text === 'c') onExit('interrupted');
  });

  // Review walks every section; otherwise finishing a section skips those already done.
  const [reviewing, setReviewing] = useState(false);
  const goTo = (index: number) => setView(index >= STEPS.length ? { kind: 'done' } : { kind: 'step', index: Math.max(0, index) });
  const advanceFrom = (index: number) => {
    if (reviewing) return goTo(index + 1);
    const next = STEPS.findIndex((s, i) => i > index && statusOf(store, s.id) !== 'done');
    goTo(next === -1 ? STEPS.length : next);
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
    const controller = new AbortController();
    void recheck({ ...ctx, signal: controller.signal }, (at) => setView({ kind: 'rechecking', at })).then(
      (id) => {
        redraw();
        goTo(id ? STEPS.findIndex((s) => s.id === id) : STEPS.length);
      },
      () => goTo(0),
    );
  };

  // Test It Out is a live view of its own; every other section is the generic step screen. (A plain
  // function, not a component defined here: that would be a new component type on every render.)
  const sectionScreen = (index: number) => {
    const step = STEPS[index]!;
    const common = {
      step,
      ctx,
      onChange: redraw,
      onDone: () => advanceFrom(index),
      onSkip: () => goTo(index + 1),
      onBack: index > 0 ? () => goTo(index - 1) : undefined,
    };
    return step.id === 'test' ? <TestItOutScreen key={index} {...common} onQuit={() => onExit('quit')} /> : <StepScreen key={index} {...common} />;
  };

  const currentId = view.kind === 'step' ? STEPS[view.index]!.id : view.kind === 'rechecking' ? view.at : undefined;
  const items = STEPS.map((s) => ({ id: s.id, title: s.title, status: statusOf(store, s.id) }));
  const nextTitle = STEPS.find((s) => s.id === resumePoint(store).next)!.title;

  return (
    <Box flexDirection="column" paddingX={1}>
      <Box marginBottom={1}>
        <Text bold>ngrok-fusionauth</Text>
        <Text dimColor> · protect a local site with ngrok and FusionAuth{ctx.options.sandbox ? ' · sandbox' : ''}</Text>
      </Box>
      <Box>
        <SectionList items={items} current={currentId} />
        <Box flexGrow={1} flexDirection="column">
          {view.kind === 'resume' ? <ResumeScreen nextTitle={nextTitle} configPath={store.path} onChoose={chooseResume} /> : null}
          {view.kind === 'rechecking' ? <Spinner label={`Checking that the finished steps still hold${view.at ? ` (${STEPS.find((s) => s.id === view.at)!.title})` : ''}…`} /> : null}
          {view.kind === 'step' ? sectionScreen(view.index) : null}
          {view.kind === 'done' ? <DoneScreen values={store.values} onExit={() => onExit('finished')} /> : null}
        </Box>
      </Box>
    </Box>
  );
}
