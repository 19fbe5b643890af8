/**
 * How many test files run at once (vitest.config.ts's maxWorkers): tests start real servers and
 * processes, and the machines this runs on have two cores. helpers/ports.ts gives each a port band.
 */
export const MAX_WORKERS = 2;
