// Where the user is in the guide, from the store alone: what the wizard's first frame and the resume
// question need, without loading the steps themselves.
import { STEP_IDS, type StepId } from '../core/constants';
import type { StepStatus, StoreData } from '../core/store';

/** Each step's record, as `store.steps` gives it (read once, then asked as often as needed). */
type Steps = StoreData['steps'];

export function statusOf(steps: Steps, id: StepId): StepStatus {
  return steps[id]?.status ?? 'pending';
}

export interface ResumePoint {
  /** Some step has a recorded state: the user has been here before. */
  started: boolean;
  allDone: boolean;
  /** The first step not done. */
  next: StepId;
}

export function resumePoint(steps: Steps): ResumePoint {
  const started = STEP_IDS.some((id) => steps[id] !== undefined);
  const next = STEP_IDS.find((id) => steps[id]?.status !== 'done' && steps[id]?.status !== 'skipped');
  return { started, allDone: next === undefined, next: next ?? STEP_IDS[STEP_IDS.length - 1]! };
}
