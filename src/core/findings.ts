// What a check found: the common currency of steps, screens and `status`. How a finding is written as
// plain text (its mark, its lines) is in core/text/plain.ts.
import { UserError } from './errors';

/**
 * `unchecked`: something the result depends on that nothing here can check (what a person did by hand
 * in a dashboard, seen only once someone logs in): said as such, never as ✔.
 */
export type FindingLevel = 'ok' | 'info' | 'warn' | 'error' | 'unchecked';

export interface Finding {
  level: FindingLevel;
  /** One line: what holds or does not. */
  title: string;
  /** What to do about it, when something is to be done. */
  fix?: string;
}

export const finding = {
  ok: (title: string): Finding => ({ level: 'ok', title }),
  info: (title: string, fix?: string): Finding => ({ level: 'info', title, ...(fix ? { fix } : {}) }),
  warn: (title: string, fix?: string): Finding => ({ level: 'warn', title, ...(fix ? { fix } : {}) }),
  error: (title: string, fix?: string): Finding => ({ level: 'error', title, ...(fix ? { fix } : {}) }),
  /** `Not checked: <what>`. */
  unchecked: (what: string): Finding => ({ level: 'unchecked', title: `Not checked: ${what}` }),
};

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.level === 'error');

/** A UserError as the error finding it stands for; anything else (a bug, an abort) is rethrown. */
export function errorFinding(error: unknown): Finding {
  if (!(error instanceof UserError)) throw error;
  return finding.error(error.message, error.hint);
}
