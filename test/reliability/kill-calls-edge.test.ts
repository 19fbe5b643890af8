// Edge mode (the guide's HTTPS edge): SIGKILL during each call that creates something on ngrok — the
// edge, the tunnel-group backend, the route — before it lands and after it landed with its answer
// lost, then the same setup again: one edge with one route, one backend, named by the store. (The calls
// before Set Up ngrok Cloud Edge are the same as in endpoint mode: kill-calls-endpoint covers them.)
import { afterEach, describe, expect, it } from 'vitest';
import { expectRecoveryFromKillDuring } from './converged';
import { census, describeCall, killStrays, newWorld, type Landing, type World } from './kill-harness';

const creates = (await census('edge')).filter((call) => call.service === 'ngrok' && call.method === 'POST');
let world: World | undefined;
afterEach(() => {
  if (world) killStrays(world.root);
  world = undefined;
});

describe('setup --no-input (edge mode) killed during a create call, then run again', () => {
  it('the create calls are the edge, the backend and the route', () => {
    expect(creates.map((c) => c.path)).toEqual(['/edges/https', '/backends/tunnel_group', '/edges/https/{id}/routes']);
  });

  const landings: Landing[] = ['before it lands', 'after it lands, answer lost'];
  const points = creates.flatMap((call) =>
    landings.map((landing) => ({ name: `${describeCall(call)}, ${landing}`, call, landing })),
  );
  it.each(points)('$name', async ({ call, landing }) => {
    world = await newWorld('edge');
    await expectRecoveryFromKillDuring(world, call, landing);
  });
});
