import { describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../src/core/constants';
import { SECTION_TITLES } from '../../src/steps/catalog';
import { STEPS } from '../../src/steps/index';

describe('the catalog of sections', () => {
  it('names the sections in the guide\'s order, with the titles the steps use', () => {
    expect(STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
    expect(STEPS.map((s) => s.title)).toEqual(STEP_IDS.map((id) => SECTION_TITLES[id]));
  });
});
