import { defineConfig } from 'vitest/config';
import { TEST_BUDGET_MS } from './test/helpers/deadline.ts';
import { HeaviestTierFirst } from './test/helpers/sequencer.ts';
import { MAX_WORKERS } from './test/helpers/workers.ts';

/**
 * The unit tier: files whose tests start no process and no server (no python, no agent, no CLI, no
 * sandbox, no esbuild service, not even a port probe). `npm run test:fast` runs them in seconds for the
 * edit loop, and test/helpers/unit-tier-guard.ts makes any spawn or listen in them fail, so a file
 * that stops fitting is told so. A new test file lands in `integration` until it is listed here.
 */
const UNIT_TESTS = [
  'test/core/agent/buffers.test.ts',
  'test/core/agent/log.test.ts',
  'test/core/ngrok/export-header.test.ts',
  'test/core/text/colour.test.ts',
  'test/core/text/invocation.test.ts',
  'test/core/store/profiles.test.ts',
  'test/core/validate.test.ts',
  'test/sandbox/ngrok-policy.test.ts',
  'test/steps/catalog.test.ts',
  'test/ui/done-screen.test.tsx',
  'test/ui/ink-text-input-defect.test.tsx',
  'test/ui/keymap.test.tsx',
  'test/tiers/unit-tier-guard.test.ts',
];

/** Kill-and-rerun, signals, secrets, bad input: whole CLI runs, the slowest files by far. */
const RELIABILITY_TESTS = ['test/reliability/**/*.test.{ts,tsx}'];

const SCALED_TIMEOUTS = 'test/helpers/scaled-timeouts.ts';
/** This machine's speed at starting a process, for the stretched deadlines (machine-speed.ts says why). */
const MACHINE_SPEED = 'test/helpers/machine-speed.ts';
const ALL_TESTS = ['test/**/*.test.{ts,tsx}'];
const BENCHMARKS = ['test/bench/**'];

export default defineConfig({
  test: {
    // The unit tier keeps these; the other two stretch them by the machine's speed and load (scaled-timeouts.ts).
    testTimeout: TEST_BUDGET_MS,
    hookTimeout: TEST_BUDGET_MS,
    pool: 'forks',
    // python3 found without a version manager's shim in front of it (python-on-path.ts says why).
    globalSetup: ['test/helpers/python-on-path.ts'],
    sequence: { sequencer: HeaviestTierFirst },
    maxWorkers: MAX_WORKERS,
    // `vitest run` (npm test) runs the three tiers together, in one pool, as one suite did before.
    // The integration and reliability tiers reuse a worker from file to file (isolate: false): a fresh
    // worker per file cost each file ~0.4 s of CPU to load vitest, React, Ink and src/ again, about a
    // quarter of the suite's CPU time in the workers. Their files leave no global state behind (each
    // restores the environment it changes, stops what it started); the unit tier stays isolated, since
    // its guard (unit-tier-guard.ts) replaces spawn and listen for the whole process.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT_TESTS, setupFiles: ['test/helpers/unit-tier-guard.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          isolate: false,
          include: ALL_TESTS,
          exclude: [...UNIT_TESTS, ...RELIABILITY_TESTS, ...BENCHMARKS],
          setupFiles: [SCALED_TIMEOUTS],
          globalSetup: [MACHINE_SPEED],
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          isolate: false,
          include: RELIABILITY_TESTS,
          setupFiles: [SCALED_TIMEOUTS],
          globalSetup: [MACHINE_SPEED],
        },
      },
    ],
  },
});
