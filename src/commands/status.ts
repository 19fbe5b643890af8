// `status [--json] [--reveal [--yes]]`: what is stored (secrets masked unless --reveal, which asks
// first) and each step's state. Read-only and fast: it reads the file with the store's own checks
// (core/store/file.ts) but loads neither conf nor any step; colour only on a terminal (core/text).
import { UsageError } from '../core/errors';
import { STEP_IDS } from '../core/constants';
import {
  mask,
  painter,
  sanitizeDeep,
  sanitizeLine,
  selfCommandQuoted,
  stepLine,
  terminalJson,
  wantsColour,
} from '../core/text';
import { recordedSiteServer } from '../core/site';
import { configDirOf, configFile, readStoreFile } from '../core/store';
import type { StepRecord, Values } from '../core/store';
import { SECTION_TITLES, VALUE_LABELS } from '../steps/catalog';
import type { GlobalOptions } from './global-options';

const SECRET_KEYS = new Set(VALUE_LABELS.filter((v) => v.secret).map((v) => v.key));

export function maskedValues(values: Values, reveal = false): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, !reveal && SECRET_KEYS.has(k as keyof Values) ? mask(String(v)) : v]),
  );
}

export interface StatusOptions {
  json?: boolean;
  /** Show the secrets the store holds, after a y/n question on a terminal (or --yes). */
  reveal?: boolean;
  yes?: boolean;
}

/**
 * Whether the secrets are shown: --reveal asks first on a terminal, like gh's confirmations; without
 * one it refuses (exit 2) unless --yes says the answer, so a script never prints a secret by accident.
 * A stored setup without secrets has nothing to ask about.
 */
async function revealAllowed(options: StatusOptions, values: Values): Promise<boolean> {
  if (!options.reveal) return false;
  const held = VALUE_LABELS.filter(({ key, secret }) => secret && values[key] !== undefined).map((v) => v.label);
  if (!held.length || options.yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY)
    throw new UsageError(
      '--reveal shows secrets in clear, and asks first: there is no terminal to ask on.',
      `Add --yes to show them without the question: ${selfCommandQuoted('status', '--reveal', '--yes')}.`,
    );
  return (await import('./reveal-question')).askToReveal(held);
}

/** A stored value on its line: read back from a file anyone may have edited, so text only. */
function show(value: unknown): string {
  // yes/no, as the wizard's choices say it (Next Steps: "Require registration"), not JSON's true/false.
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return sanitizeLine(value.join(', '));
  if (value && typeof value === 'object')
    return sanitizeLine(
      Object.entries(value)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(', '),
    );
  return sanitizeLine(String(value));
}

/**
 * A done site whose server is stopped (on exit, as the default says) is no failure: said beside the
 * step. Whether it runs is read from the record of the servers this tool started (core/site), so
 * status stays a read of files.
 */
function siteServerNote(dir: string, values: Values, record: StepRecord | undefined): string | undefined {
  if (record?.status !== 'done' || !values.sitePort) return undefined;
  const server = recordedSiteServer(dir, values.sitePort);
  return server
    ? `the web server runs, pid ${server.pid}`
    : `the web server is not running: ${selfCommandQuoted('tunnel')} starts it`;
}

export async function statusCommand(globals: GlobalOptions, options: StatusOptions): Promise<number> {
  const dir = configDirOf(globals);
  // The path last: the file may hold keys of its own (the schema allows unknown top-level keys).
  const store = { ...readStoreFile(dir), path: configFile(dir) };
  const reveal = await revealAllowed(options, store.values);
  const steps = STEP_IDS.map((id) => {
    const record = store.steps[id];
    const message = record?.message ?? (id === 'site' ? siteServerNote(dir, store.values, record) : undefined);
    return {
      id,
      title: SECTION_TITLES[id],
      status: record?.status ?? 'pending',
      updatedAt: record?.updatedAt ?? null,
      message: message ?? null,
    };
  });
  if (options.json) {
    // What status shows is for a person's terminal too: every string sanitised, the rest escaped.
    process.stdout.write(
      `${terminalJson(sanitizeDeep({ configPath: store.path, values: maskedValues(store.values, reveal), created: store.created, steps }), 2)}\n`,
    );
    return 0;
  }
  const values = store.values;
  const paint = painter(wantsColour());
  const rows = VALUE_LABELS.filter(({ key }) => values[key] !== undefined).map(
    ({ key, label, secret }) => [label, secret && !reveal ? mask(String(values[key])) : show(values[key])] as const,
  );
  const out: string[] = [`${paint.bold('Settings:')} ${store.path}`, ''];
  if (rows.length) {
    const width = Math.max(...rows.map(([label]) => label.length));
    out.push(...rows.map(([label, value]) => `  ${paint.dim(label.padEnd(width))}  ${value}`), '');
  } else out.push(`  Nothing stored yet: run ${selfCommandQuoted()} to start.`, '');
  for (const [i, s] of steps.entries()) out.push(paint.line(stepLine(i + 1, s)));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
