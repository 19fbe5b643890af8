// The order vitest hands test files to its workers (vitest.config.ts, sequence.sequencer). vitest's
// own order runs projects by name (integration, reliability, unit), so the reliability tier, whose
// files are the longest (whole CLI runs killed and run again), started last and its longest file
// ended the suite alone on one worker. Here the tiers go heaviest first; within a tier vitest's own
// order stays (the longest first by the last run's times, or the largest file first without them).
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const TIER_ORDER = ['reliability', 'integration', 'unit'];

const rank = (spec: TestSpecification) => {
  const at = TIER_ORDER.indexOf(spec.project.name);
  return at < 0 ? TIER_ORDER.length : at;
};

export class HeaviestTierFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
