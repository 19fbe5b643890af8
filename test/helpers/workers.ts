/**
 * How many test files run at once (vitest.config.ts's maxWorkers), on machines with two cores. Three
 * times the cores: a file of the integration and reliability tiers spends much of its time waiting on
 * the processes it started (the CLI, python, the agent) and on their retries and grace periods. With
 * two workers the cores stood idle for a third of the suite; with four, vmstat still showed windows of
 * up to 44% idle; with six, next to none (vitest 152-163 s -> 140-155 s on an idle 2-core machine).
 * helpers/ports.ts gives each worker a port band of its own, so no two choose the same port.
 */
export const MAX_WORKERS = 6;
