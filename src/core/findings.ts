// What a check found: the common currency of steps, screens and `status`.
export type FindingLevel = 'ok' | 'info' | 'warn' | 'error';

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
};

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.level === 'error');
