// SIGKILL during every management API call of a fresh `setup --no-input --ngrok-mode endpoint`, then
// the same setup again: it completes, and the sandbox holds exactly one application and one cloud
// endpoint, which the store's values and created ids name. Each call is killed before it lands; each
// call that changes something is also killed after it landed, with its answer lost (the case that
// makes duplicates when a rerun cannot recognise what the lost answer would have told it).
import { describe, expect, it } from 'vitest';
import { expectRecoveryFromKillDuring } from './converged';
import { census, describeCall, inWorld, type Call, type Landing } from './kill-harness';

const calls = await census('endpoint');

const landings = (call: Call): Landing[] =>
  call.write ? ['before it lands', 'after it lands, answer lost'] : ['before it lands'];

describe('setup --no-input (endpoint mode) killed during an API call, then run again', () => {
  it('the kill points are every call up to Test It Out, the six that change something among them', () => {
    // When the calls change, the kill points below change with them: this says which ones they are.
    expect(calls.length).toBeGreaterThanOrEqual(10);
    expect(calls.filter((c) => c.write).map((c) => `${c.service} ${c.method} ${c.path}`)).toEqual([
      'fusionauth PATCH /api/tenant/{id}',
      'fusionauth POST /api/application/{id}',
      'ngrok POST /vaults',
      'ngrok POST /vault_secrets',
      'ngrok POST /endpoints',
      'fusionauth PUT /api/application/{id}',
    ]);
  });

  const points = calls.flatMap((call) =>
    landings(call).map((landing) => ({ name: `${describeCall(call)}, ${landing}`, call, landing })),
  );
  it.concurrent.each(points)('$name', ({ call, landing }) =>
    inWorld('endpoint', (world) => expectRecoveryFromKillDuring(world, call, landing)),
  );
});
