// Next Steps has a FusionAuth side and an ngrok side; each is a part with its own fields and apply,
// composed into the one section (src/steps/next-steps.ts).
import type { Finding } from '../../core/findings';
import type { Values } from '../../core/store';
import type { Field, Input, StepContext, SummaryRow } from '../types';

export interface NextStepsPart {
  fields: Field[];
  /** Lines for the manual path (what to click), given the current input. */
  instructions(ctx: StepContext, input: Input): string[];
  /** Applies the chosen settings; returns what it did. Settings left empty are left alone. */
  apply(ctx: StepContext, input: Input): Promise<Finding[]>;
  summary(values: Values): SummaryRow[];
}
