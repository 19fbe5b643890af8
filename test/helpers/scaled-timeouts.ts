// Set up before every file of the integration and reliability tiers (vitest.config.ts): the default
// test and hook deadlines, stretched by the machine's speed and by the CPU contention when the file
// starts (see deadline.ts). A test that hangs still fails; one that is only slowed by a busy or slow
// machine does not.
import { vi } from 'vitest';
import { scaled, TEST_BUDGET_MS } from './deadline';

vi.setConfig({ testTimeout: scaled(TEST_BUDGET_MS), hookTimeout: scaled(TEST_BUDGET_MS) });
