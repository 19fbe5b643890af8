/**
 * How many test files run at once (vitest.config.ts's maxWorkers), on machines with two cores. Twice
 * the cores: a file of the integration and reliability tiers spends much of its time waiting on the
 * processes it started (the CLI, python, the agent) and on their retries and grace periods, and with
 * two workers the cores stood idle for a third of the suite. helpers/ports.ts gives each worker a port
 * band of its own, so the four never choose the same port.
 */
export const MAX_WORKERS = 4;
