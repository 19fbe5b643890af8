// One screen for every section: the guide's words, what the check found, the manual form, the
// result. The section itself is data (src/steps); this is only its view, and its keys are one table
// (stepKeys below) that both handles them and draws the hints.
import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../../core/errors';
import { finding, type Finding } from '../../core/findings';
import { mask } from '../../core/text';
import { runApply, runCheck } from '../../steps/engine';
import {
  fieldsFor,
  initialInput,
  type ApplyResult,
  type Input,
  type Question,
  type StepContext,
} from '../../steps/types';
import { ChoiceList } from '../components/ChoiceList';
import { choiceKeys } from '../components/choice-keys';
import { Findings } from '../components/Findings';
import { Screen } from '../components/Screen';
import { Spinner } from '../components/Spinner';
import { Summary, summaryTruncates } from '../components/Summary';
import { TextField } from '../components/TextField';
import type { KeyBinding } from '../keymap';
import { truncateMiddle } from '../layout/fit';
import { useContentWidth } from '../layout/shell-context';
import { useReveal } from '../reveal';
import type { SectionProps } from './section-props';

type Phase =
  | { kind: 'checking' }
  | { kind: 'review'; findings: Finding[] }
  | { kind: 'form'; index: number; findings: Finding[] }
  | { kind: 'applying' }
  | { kind: 'result'; result: ApplyResult };

type Props = SectionProps;

export function StepScreen({ step, ctx, onDone, onSkip, onBack, onQuit, onChange }: Props) {
  const abort = useRef(new AbortController());
  useEffect(() => () => abort.current.abort(), []);
  const stepCtx = useMemo<StepContext>(() => ({ ...ctx, signal: abort.current.signal }), [ctx]);
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const [input, setInputState] = useState<Input>(() => initialInput(step, stepCtx));
  // What was typed, at once: keys arrive faster than renders (tmux send-keys, a paste then Enter), and
  // Enter must submit every key before it, not the value of the last render.
  const latest = useRef(input);
  const setInput = (update: (i: Input) => Input) => {
    latest.current = update(latest.current);
    setInputState(latest.current);
  };
  const [reveal, toggleReveal] = useReveal();
  const [whole, setWhole] = useState(false);
  const [selected, setSelected] = useState(0);
  const [refused, setRefused] = useState(false);
  const width = useContentWidth();
  const fields = fieldsFor(step, input, stepCtx);

  // Key handlers and effects cannot await: every outcome, a throw from `then` included, ends in the
  // phase (a failed result), and nothing lands after the screen is gone.
  const guard = <T,>(promise: Promise<T>, then: (value: T) => void): void => {
    promise
      .then((value) => !abort.current.signal.aborted && then(value))
      .catch(
        (error: unknown) =>
          !abort.current.signal.aborted &&
          setPhase({ kind: 'result', result: { status: 'failed', findings: [finding.error(describeError(error))] } }),
      );
  };

  const check = () => {
    setPhase({ kind: 'checking' });
    guard(runCheck(step, stepCtx), (result) => {
      onChange();
      setPhase(
        result.done
          ? { kind: 'review', findings: result.findings }
          : { kind: 'form', index: 0, findings: result.findings },
      );
    });
  };
  const apply = (values: Input) => {
    setPhase({ kind: 'applying' });
    guard(runApply(step, stepCtx, values), (result) => {
      onChange();
      setPhase({ kind: 'result', result });
    });
  };
  useEffect(check, []);

  const goToField = (index: number, findings: Finding[]) => {
    const field = fieldsFor(step, latest.current, stepCtx)[index];
    setRefused(false);
    if (field?.kind === 'choice')
      setSelected(
        Math.max(
          0,
          field.choices.findIndex((c) => c.value === latest.current[field.key]),
        ),
      );
    setPhase({ kind: 'form', index, findings });
  };
  const submitField = (key: string, value: string) => {
    setInput((i) => ({ ...i, [key]: value }));
    const next = latest.current;
    const nextFields = fieldsFor(step, next, stepCtx);
    const position = nextFields.findIndex((f) => f.key === key);
    if (phase.kind === 'form' && position + 1 < nextFields.length) goToField(position + 1, phase.findings);
    else apply(next);
  };
  const answer = (question: Question, value: string) => {
    setInput((i) => ({ ...i, [question.key]: value }));
    apply(latest.current);
  };

  const current = phase.kind === 'form' ? fields[phase.index] : undefined;
  const typing = current?.kind === 'text';
  const question = phase.kind === 'result' && phase.result.status === 'ask' ? phase.result.question : undefined;

  // The summary (read from the store) only when it is shown: not on every key typed into the form.
  const showSummary = phase.kind === 'review' || (phase.kind === 'result' && phase.result.status === 'done');
  const summary = showSummary ? step.summary(ctx.store.values) : [];

  const keys = stepKeys({
    phase,
    question,
    hasFields: step.fields.length > 0,
    fieldCount: fields.length,
    typing,
    choice: current?.kind === 'choice' ? current.choices.length : 0,
    selected,
    secret: summary.some((r) => r.secret),
    reveal,
    truncated: summaryTruncates(summary, width, reveal),
    whole,
    submitLabel: step.submitLabel?.(stepCtx) ?? 'check now',
    canGoBack: Boolean(onBack),
    actions: {
      continue: onDone,
      edit: () => goToField(0, phase.kind === 'review' || phase.kind === 'form' ? phase.findings : []),
      checkAgain: check,
      applyNow: () => apply(latest.current),
      submitText: () => {
        if (current?.kind !== 'text') return;
        const value = latest.current[current.key] ?? '';
        if (current.validate(value, latest.current).ok) submitField(current.key, value);
        else setRefused(true);
      },
      choose: (index) => current?.kind === 'choice' && submitField(current.key, current.choices[index]!.value),
      select: setSelected,
      answer: (value) => question && answer(question, value),
      back: () => {
        if (phase.kind === 'form' && phase.index > 0) goToField(phase.index - 1, phase.findings);
        else if (phase.kind === 'result' && step.fields.length) goToField(0, []);
        else onBack?.();
      },
      skip: onSkip,
      quit: onQuit,
      reveal: toggleReveal,
      whole: () => setWhole((w) => !w),
    },
  });

  const body = (
    <Box flexDirection="column">
      <Text dimColor>{step.explain}</Text>
      {phase.kind === 'form' || (phase.kind === 'result' && phase.result.status !== 'done') ? (
        <Box flexDirection="column" marginTop={1}>
          {step.instructions(stepCtx, input).map((line, i) => (
            <Text key={i}>
              <Text color="cyan">{i + 1}.</Text> {line}
            </Text>
          ))}
        </Box>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {phase.kind === 'review' ? <Text color="green">This step is done.</Text> : null}
        {phase.kind === 'review' || phase.kind === 'form' ? <Findings findings={phase.findings} /> : null}
        {phase.kind === 'result' ? <Findings findings={phase.result.findings} /> : null}
      </Box>
      <Summary rows={summary} reveal={reveal} whole={whole} />
    </Box>
  );

  const action =
    phase.kind === 'checking' ? (
      <Spinner label="Checking what already holds…" />
    ) : phase.kind === 'applying' ? (
      <Spinner label="Working…" />
    ) : question ? (
      <Text bold>{question.prompt}</Text>
    ) : phase.kind === 'form' ? (
      <Box flexDirection="column">
        {fields.slice(0, phase.index).map((f) => (
          <Text key={f.key} dimColor wrap="truncate-end">
            {f.label}:{' '}
            {truncateMiddle(
              (f.kind === 'text' && f.secret && !reveal
                ? mask(input[f.key])
                : f.kind === 'choice'
                  ? f.choices.find((c) => c.value === input[f.key])?.label
                  : input[f.key]) ?? '',
              Math.max(8, width - f.label.length - 2),
            )}
          </Text>
        ))}
        {current?.kind === 'text' ? (
          <TextField
            key={current.key}
            label={current.label}
            value={input[current.key] ?? ''}
            onChange={(v) => {
              setRefused(false);
              setInput((i) => ({ ...i, [current.key]: v }));
            }}
            validate={(t) => current.validate(t, input)}
            secret={current.secret}
            placeholder={current.placeholder}
            help={current.help}
            refused={refused}
          />
        ) : null}
        {current?.kind === 'choice' ? (
          <ChoiceList key={current.key} label={current.label} choices={current.choices} selected={selected} />
        ) : null}
      </Box>
    ) : undefined;

  return <Screen title={step.title} body={body} action={action} keys={keys} typing={typing} />;
}

export interface StepKeyState {
  phase: Phase;
  question?: Question;
  /** The step has a form at all (then `e` edits it). */
  hasFields: boolean;
  /** Fields asked now (a step may have none to ask: Enter applies at once). */
  fieldCount: number;
  /** A text field has the keyboard: no letter keys. */
  typing: boolean;
  /** Choices of the focused choice field; 0 when it is not a choice. */
  choice: number;
  selected: number;
  secret: boolean;
  reveal: boolean;
  truncated: boolean;
  whole: boolean;
  submitLabel: string;
  canGoBack: boolean;
  actions: {
    continue(): void;
    edit(): void;
    checkAgain(): void;
    applyNow(): void;
    submitText(): void;
    choose(index: number): void;
    select(index: number): void;
    answer(value: string): void;
    back(): void;
    skip(): void;
    quit(): void;
    reveal(): void;
    whole(): void;
  };
}

/** The step screen's keymap in each phase: the keys it handles are exactly the hints it shows. */
export function stepKeys(s: StepKeyState): KeyBinding[] {
  const { phase, question, actions: a } = s;
  const back = (when: boolean): KeyBinding => ({ key: 'esc', label: 'back', when, run: () => a.back() });
  const quit: KeyBinding = { key: 'q', label: 'quit', when: !s.typing, run: () => a.quit() };
  const reveal: KeyBinding = {
    key: 'v',
    label: s.reveal ? 'hide secret' : 'reveal secret',
    when: s.secret,
    run: () => a.reveal(),
  };
  const whole: KeyBinding = {
    key: 'w',
    label: s.whole ? 'cut long values' : 'whole values',
    when: s.truncated || s.whole,
    run: () => a.whole(),
  };
  switch (phase.kind) {
    case 'checking':
      return [back(s.canGoBack), quit];
    case 'applying':
      return [quit];
    case 'review':
      return [
        { key: 'enter', label: 'continue', run: () => a.continue() },
        { key: 'e', label: 'edit', when: s.hasFields, run: () => a.edit() },
        { key: 'r', label: 'check again', run: () => a.checkAgain() },
        reveal,
        whole,
        back(s.canGoBack),
        quit,
      ];
    case 'form':
      return [
        ...(s.choice
          ? choiceKeys(s.choice, s.selected, a.select, a.choose)
          : [
              s.fieldCount
                ? { key: 'enter', label: 'next', run: () => a.submitText() }
                : { key: 'enter', label: s.submitLabel, run: () => a.applyNow() },
            ]),
        back(phase.index > 0 || s.canGoBack),
        { key: 's', label: 'skip for now', when: !s.typing, run: () => a.skip() },
        quit,
      ];
    case 'result':
      if (question)
        return [
          ...question.choices.map((c) => ({ key: c.key, label: c.label, run: () => a.answer(c.value) })),
          back(s.hasFields || s.canGoBack),
          quit,
        ];
      return phase.result.status === 'done'
        ? [
            { key: 'enter', label: 'continue', run: () => a.continue() },
            reveal,
            whole,
            back(s.hasFields || s.canGoBack),
            quit,
          ]
        : [
            { key: 'enter', label: 'try again', run: () => a.applyNow() },
            { key: 'e', label: 'edit', when: s.hasFields, run: () => a.edit() },
            { key: 's', label: 'skip for now', run: () => a.skip() },
            back(s.hasFields || s.canGoBack),
            quit,
          ];
  }
}
