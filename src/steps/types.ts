// The shape every section of the guide has. A step is plain data plus two functions: `check` reads
// the world and says what already holds; `apply` makes it hold, idempotently. No React here: the Ink
// screens and the non-interactive path call the same modules.
import type { Finding } from '../core/findings';
import type { Validation } from '../core/validate';
import type { StepId, Values } from '../core/store';

// The context every step runs in is the run's context (core/context.ts): commands build it, steps read it.
export type { SetupOptions, RunContext as StepContext } from '../core/context';
import type { RunContext as StepContext } from '../core/context';

/** What the user typed or chose on a screen, by field key; answers to questions go in too. */
export type Input = Record<string, string>;

interface FieldBase {
  key: string;
  label: string;
  /** A line under the field: where to find the value. */
  help?: string;
  /** The command-line flag that gives it, named where `--no-input` says it is missing. */
  flag?: string;
  /** The value to start from: flags, then env, then the store, then a default. */
  initial(ctx: StepContext): string | undefined;
  /** Only asked when this holds (e.g. fields of one ngrok mode). */
  when?(input: Input, ctx: StepContext): boolean;
}

export interface TextField extends FieldBase {
  kind: 'text';
  secret?: boolean;
  placeholder?: string;
  validate(text: string, input: Input): Validation<unknown>;
}

export interface ChoiceField extends FieldBase {
  kind: 'choice';
  choices: ReadonlyArray<{ value: string; label: string; hint?: string }>;
}

export type Field = TextField | ChoiceField;

/** A question `apply` needs answered before it can go on (overwrite a file? use the next port?). */
export interface Question {
  key: string;
  prompt: string;
  choices: ReadonlyArray<{ key: string; label: string; value: string }>;
  /** The answer `--no-input` takes; without one, a non-interactive run stops and names the question. */
  noInputAnswer?: string;
  /**
   * Without a `noInputAnswer`: one sentence naming the flags that answer it, for a question only the
   * person may answer (whose object to use). A non-interactive run prints it and exits 1.
   */
  noInputRefusal?: string;
}

/** One line of what a step produced. A secret is masked wherever it is shown, unless revealed on screen. */
export interface SummaryRow {
  label: string;
  value: string;
  secret?: boolean;
  /** The stored value shown, when two sections show the same one (the done screen lists it once). */
  of?: keyof Values;
}

export const row = (
  label: string,
  value: string | number | undefined | null,
  secret = false,
  of?: keyof Values,
): SummaryRow[] =>
  value === undefined || value === null || value === ''
    ? []
    : [{ label, value: String(value), ...(secret ? { secret } : {}), ...(of ? { of } : {}) }];

export interface CheckResult {
  done: boolean;
  findings: Finding[];
  /**
   * What the step made still holds, but what it runs is stopped now (the site server stopped on exit,
   * as the default says; the tunnel not running): a step that was done stays done, not "no longer
   * holds", and one never done is applied as usual.
   */
  idle?: boolean;
}

export type ApplyResult =
  { status: 'done' | 'failed'; findings: Finding[] } | { status: 'ask'; question: Question; findings: Finding[] };

export interface Step {
  id: StepId;
  /** The guide's section title, verbatim. */
  title: string;
  /** A line or two of the guide's own explanation: what this step does and why. */
  explain: string;
  /** The manual path: exactly what to click, as the guide says it, with the user's own values. */
  instructions(ctx: StepContext, input: Input): string[];
  fields: Field[];
  /** What Enter does on a step without fields ("check now", "add it"). */
  submitLabel?(ctx: StepContext): string;
  check(ctx: StepContext): Promise<CheckResult>;
  apply(ctx: StepContext, input: Input): Promise<ApplyResult>;
  /** What the step produced, for the done view and `status`. */
  summary(values: Values): SummaryRow[];
}

export const fieldsFor = (step: Step, input: Input, ctx: StepContext): Field[] =>
  step.fields.filter((f) => !f.when || f.when(input, ctx));

/** The starting input of a step: each field's initial value. */
export function initialInput(step: Step, ctx: StepContext): Input {
  const input: Input = {};
  for (const field of step.fields) {
    const value = field.initial(ctx);
    if (value !== undefined) input[field.key] = value;
  }
  return input;
}

/** Validates every field that applies; the first error per field. */
export function validateInput(step: Step, input: Input, ctx: StepContext): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fieldsFor(step, input, ctx)) {
    const text = input[field.key] ?? '';
    if (field.kind === 'text') {
      const result = field.validate(text, input);
      if (!result.ok) errors[field.key] = result.message;
    } else if (!field.choices.some((c) => c.value === text)) {
      errors[field.key] = `Choose one of: ${field.choices.map((c) => c.value).join(', ')}.`;
    }
  }
  return errors;
}
