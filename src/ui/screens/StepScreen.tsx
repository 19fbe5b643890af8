// One screen for every section: the guide's words, what the check found, the manual form, the
// result. The section itself is data (src/steps); this is only its view.
import { Box, Text, useInput } from 'ink';
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
import { Findings } from '../components/Findings';
import { SectionIntro } from '../components/SectionIntro';
import { KeyHints, type Hint } from '../components/KeyHints';
import { Spinner } from '../components/Spinner';
import { Summary } from '../components/Summary';
import { TextField } from '../components/TextField';
import { useReveal } from '../reveal';
import type { SectionProps } from './section-props';

type Phase =
  | { kind: 'checking' }
  | { kind: 'review'; findings: Finding[] }
  | { kind: 'form'; index: number; findings: Finding[] }
  | { kind: 'applying' }
  | { kind: 'result'; result: ApplyResult };

type Props = SectionProps;

export function StepScreen({ step, ctx, onDone, onSkip, onBack, onChange }: Props) {
  const abort = useRef(new AbortController());
  useEffect(() => () => abort.current.abort(), []);
  const stepCtx = useMemo<StepContext>(() => ({ ...ctx, signal: abort.current.signal }), [ctx]);
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const [input, setInput] = useState<Input>(() => initialInput(step, stepCtx));
  const [reveal, toggleReveal] = useReveal();
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

  const submitField = (key: string, value: string) => {
    const next = { ...input, [key]: value };
    setInput(next);
    const nextFields = fieldsFor(step, next, stepCtx);
    const position = nextFields.findIndex((f) => f.key === key);
    if (phase.kind === 'form' && position + 1 < nextFields.length) setPhase({ ...phase, index: position + 1 });
    else apply(next);
  };
  const answer = (question: Question, value: string) => {
    const next = { ...input, [question.key]: value };
    setInput(next);
    apply(next);
  };

  const current = phase.kind === 'form' ? fields[phase.index] : undefined;
  const typing = current?.kind === 'text';
  const question = phase.kind === 'result' && phase.result.status === 'ask' ? phase.result.question : undefined;

  useInput((text, key) => {
    if (phase.kind === 'review') {
      if (key.return) onDone();
      else if (text === 'e' && step.fields.length) setPhase({ kind: 'form', index: 0, findings: phase.findings });
      else if (text === 'r') check();
      else if (text === 'v') toggleReveal();
      else if ((key.leftArrow || text === 'b') && onBack) onBack();
    } else if (phase.kind === 'form') {
      if (key.escape) {
        if (phase.index > 0) setPhase({ ...phase, index: phase.index - 1 });
        else onBack?.();
      } else if (!fields.length && key.return) apply(input);
      else if (!typing && text === 's') onSkip();
    } else if (phase.kind === 'result') {
      if (question) {
        const choice = question.choices.find((c) => c.key === text.toLowerCase());
        if (choice) answer(question, choice.value);
        else if (key.escape) setPhase({ kind: 'form', index: 0, findings: [] });
      } else if (key.return) {
        if (phase.result.status === 'done') onDone();
        else apply(input);
      } else if (text === 'e' && step.fields.length) setPhase({ kind: 'form', index: 0, findings: [] });
      else if (text === 's' && phase.result.status === 'failed') onSkip();
      else if (text === 'v') toggleReveal();
    }
  });

  // The summary (read from the store) only when it is shown: not on every key typed into the form.
  const showSummary = phase.kind === 'review' || (phase.kind === 'result' && phase.result.status === 'done');
  const summary = showSummary ? step.summary(ctx.store.values) : [];
  const hints: Hint[] = [];
  if (phase.kind === 'review')
    hints.push(['enter', 'continue'], ...(step.fields.length ? ([['e', 'edit']] as Hint[]) : []), ['r', 'check again']);
  if (phase.kind === 'form') {
    hints.push(
      [
        'enter',
        fields.length ? (current?.kind === 'choice' ? 'choose' : 'next') : (step.submitLabel?.(stepCtx) ?? 'check now'),
      ],
      ['esc', 'back'],
    );
    if (current?.kind === 'choice') hints.push(['↑↓', 'move']);
    if (!typing) hints.push(['s', 'skip for now']);
  }
  if (phase.kind === 'result' && !question) {
    if (phase.result.status === 'done') hints.push(['enter', 'continue']);
    else
      hints.push(['enter', 'try again'], ...(step.fields.length ? ([['e', 'edit']] as Hint[]) : []), [
        's',
        'skip for now',
      ]);
  }
  if (question) hints.push(...question.choices.map((c) => [c.key, c.label] as Hint));
  if (summary.some((r) => r.secret)) hints.push(['v', reveal ? 'hide secret' : 'reveal secret']);
  hints.push(['ctrl+c', 'quit']);

  return (
    <Box flexDirection="column" flexGrow={1}>
      <SectionIntro title={step.title} explain={step.explain} />
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
        {phase.kind === 'checking' ? <Spinner label="Checking what already holds…" /> : null}
        {phase.kind === 'applying' ? <Spinner label="Working…" /> : null}
        {phase.kind === 'review' ? <Text color="green">This step is done.</Text> : null}
        {phase.kind === 'review' || phase.kind === 'form' ? <Findings findings={phase.findings} /> : null}
        {phase.kind === 'result' ? <Findings findings={phase.result.findings} /> : null}
        {question ? <Text bold>{question.prompt}</Text> : null}
      </Box>
      <Summary rows={summary} reveal={reveal} />
      {phase.kind === 'form' ? (
        <Box flexDirection="column" marginTop={1}>
          {fields.slice(0, phase.index).map((f) => (
            <Text key={f.key} dimColor>
              {f.label}:{' '}
              {f.kind === 'text' && f.secret && !reveal
                ? mask(input[f.key])
                : f.kind === 'choice'
                  ? f.choices.find((c) => c.value === input[f.key])?.label
                  : input[f.key]}
            </Text>
          ))}
          {current?.kind === 'text' ? (
            <TextField
              key={current.key}
              label={current.label}
              value={input[current.key] ?? ''}
              onChange={(v) => setInput((i) => ({ ...i, [current.key]: v }))}
              onSubmit={(v) => submitField(current.key, v)}
              validate={(t) => current.validate(t, input)}
              secret={current.secret}
              placeholder={current.placeholder}
              help={current.help}
            />
          ) : null}
          {current?.kind === 'choice' ? (
            <ChoiceList
              key={current.key}
              label={current.label}
              choices={current.choices}
              initial={input[current.key]}
              onSubmit={(v) => submitField(current.key, v)}
            />
          ) : null}
        </Box>
      ) : null}
      <KeyHints hints={hints} />
    </Box>
  );
}
