// Symbols and colours in one place, so every screen speaks the same visual language.
import type { FindingLevel } from '../core/findings';
import type { StepStatus } from '../core/store';
import { FINDING_MARK, STEP_MARK } from '../core/text';

export const statusMark: Record<StepStatus | 'current', { mark: string; color: string }> = {
  done: { mark: STEP_MARK.done, color: 'green' },
  current: { mark: '❯', color: 'cyan' },
  pending: { mark: STEP_MARK.pending, color: 'gray' },
  failed: { mark: STEP_MARK.failed, color: 'red' },
  skipped: { mark: STEP_MARK.skipped, color: 'gray' },
};

export const levelMark: Record<FindingLevel, { mark: string; color: string }> = {
  ok: { mark: FINDING_MARK.ok, color: 'green' },
  info: { mark: FINDING_MARK.info, color: 'blue' },
  warn: { mark: FINDING_MARK.warn, color: 'yellow' },
  error: { mark: FINDING_MARK.error, color: 'red' },
  unchecked: { mark: FINDING_MARK.unchecked, color: 'gray' },
};
