// `status [--json]`: what is stored (secrets masked) and each step's state. Loads no Ink.
import { mask } from '../core/redact';
import type { Values } from '../core/store';
import { statusOf } from '../steps/engine';
import { STEPS } from '../steps/index';
import type { GlobalOptions } from '../cli';
import { openStore } from './open-store';

const SECRET_KEYS: ReadonlyArray<keyof Values> = ['clientSecret', 'fusionauthApiKey', 'ngrokApiKey'];

export function maskedValues(values: Values): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, SECRET_KEYS.includes(k as keyof Values) ? mask(String(v)) : v]));
}

export async function statusCommand(globals: GlobalOptions, options: { json?: boolean }): Promise<number> {
  const store = openStore(globals);
  const steps = STEPS.map((s) => ({ id: s.id, title: s.title, status: statusOf(store, s.id), updatedAt: store.step(s.id)?.updatedAt ?? null, message: store.step(s.id)?.message ?? null }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ configPath: store.path, values: maskedValues(store.values), created: store.created, steps }, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [`Settings: ${store.path}`, ''];
  const rows = STEPS.flatMap((s) => s.summary(store.values));
  if (rows.length) {
    const width = Math.max(...rows.map((r) => r.label.length));
    out.push(...rows.map((r) => `  ${r.label.padEnd(width)}  ${r.secret ? mask(r.value) : r.value}`), '');
  } else out.push('  Nothing stored yet: run `ngrok-fusionauth` to start.', '');
  const marks = { done: '✔', failed: '✘', pending: '○', skipped: '–' } as const;
  for (const [i, s] of steps.entries()) out.push(`  ${marks[s.status]} ${i + 1}. ${s.title}${s.status === 'pending' ? '' : ` — ${s.status}`}${s.message ? ` (${s.message})` : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
