// Edge mode (the guide's HTTPS edge): SIGKILL during each call that creates something on ngrok — the
// edge, the tunnel-group backend, the route — before it lands and after it landed with its answer
// lost, then the same setup again: one edge with one route, one backend, named by the store. (The calls
// before Set Up ngrok Cloud Edge are the same as in endpoint mode: kill-calls-endpoint covers them.)
import { describe, expect, it } from 'vitest';
import { expectRecoveryFromKillDuring } from './converged';
import { census, describeCall, inWorld, type Landing } from './kill-harness';

const creates = (await census('edge')).filter((call) => call.service === 'ngrok' && call.method === 'POST');

describe('setup --no-input (edge mode) killed during a create call, then run again', () => {
  it('the create calls are the edge, the backend and the route', () => {
    expect(creates.map((c) => c.path)).toEqual(['/edges/https', '/backends/tunnel_group', '/edges/https/{id}/routes']);
  });

  const landings: Landing[] = ['before it lands', 'after it lands, answer lost'];
  const points = creates.flatMap((call) =>
    landings.map((landing) => ({ name: `${describeCall(call)}, ${landing}`, call, landing })),
  );
  it.concurrent.each(points)('$name', ({ call, landing }) =>
    inWorld('edge', (world) => expectRecoveryFromKillDuring(world, call, landing)),
  );
});
