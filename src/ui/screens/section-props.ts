import type { Step, StepContext } from '../../steps/types';

/** What the shell gives every section's screen. */
export interface SectionProps {
  step: Step;
  ctx: Omit<StepContext, 'signal'>;
  onDone(): void;
  onSkip(): void;
  onBack?(): void;
  /** `q`: leave the wizard (progress is kept). */
  onQuit(): void;
  /** Called after every store transition, so the shell redraws its progress. */
  onChange(): void;
}
