// How often a failed agent run is started again, by its problem, with a clock the test moves.
import { describe, expect, it } from 'vitest';
import { agentProblem, RestartBudget } from '../../../src/core/agent';

const crash = { message: 'ngrok exited with code 3.', permanent: false };

describe('the restart budget', () => {
  it('a permanent problem is never restarted, and adds no words to its message', () => {
    expect(new RestartBudget(5).judge(agentProblem('ERR_NGROK_4018'))).toEqual({ restart: false, why: '' });
  });

  it('crashes and transient codes: until maxQuickFailures in a row', () => {
    const budget = new RestartBudget(3);
    expect(budget.judge(crash)).toEqual({ restart: true, why: 'failure 1 of 3' });
    expect(budget.judge(agentProblem('ERR_NGROK_108'))).toEqual({ restart: true, why: 'failure 2 of 3' });
    expect(budget.judge(crash)).toEqual({
      restart: false,
      why: 'It failed 3 times in a row, so it is not restarted again.',
    });
  });

  it('a code nobody knows to pass is restarted once, whatever else failed before', () => {
    const budget = new RestartBudget(5);
    expect(budget.judge(crash).restart).toBe(true);
    const unknown = agentProblem('failed to start tunnel: new thing\r\n\r\nERR_NGROK_4242\r\n');
    expect(budget.judge(unknown)).toEqual({
      restart: true,
      why: 'once: ERR_NGROK_4242 is not known to pass by itself',
    });
    expect(budget.judge(unknown)).toEqual({
      restart: false,
      why: 'It failed the same way after one restart, so it is not restarted again.',
    });
  });

  it('334 is retried for its window from the first refusal, then given up; the crash budget is apart', () => {
    let now = 1_000_000;
    const budget = new RestartBudget(2, () => now);
    const refused = agentProblem('failed to start tunnel: already online\r\n\r\nERR_NGROK_334\r\n');
    for (let i = 0; i < 8; i++) {
      expect(budget.judge(refused)).toEqual({
        restart: true,
        why: 'ERR_NGROK_334 can clear by itself: retrying for up to 2 min',
      });
      now += 14_000;
    }
    // Eight refusals used none of the two quick failures a crash may have.
    expect(budget.judge(crash).restart).toBe(true);
    now = 1_000_000 + 120_000;
    expect(budget.judge(refused)).toEqual({
      restart: false,
      why: 'It was still refused after 2 min, so it is not restarted again.',
    });
  });
});
