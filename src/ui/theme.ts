// Symbols and colours in one place, so every screen speaks the same visual language.
import { FINDING_MARK, type FindingLevel } from '../core/findings';
import type { StepStatus } from '../core/store';

export const statusMark: Record<StepStatus | 'current', { mark: string; color: string }> = {
  done: { mark: '✔', color: 'green' },
  current: { mark: '❯', color: 'cyan' },
  pending: { mark: '○', color: 'gray' },
  failed: { mark: '✘', color: 'red' },
  skipped: { mark: '–', color: 'gray' },
};

export const levelMark: Record<FindingLevel, { mark: string; color: string }> = {
  ok: { mark: FINDING_MARK.ok, color: 'green' },
  info: { mark: FINDING_MARK.info, color: 'blue' },
  warn: { mark: FINDING_MARK.warn, color: 'yellow' },
  error: { mark: FINDING_MARK.error, color: 'red' },
};
