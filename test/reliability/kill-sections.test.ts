// SIGKILL at every step boundary of `setup --sandbox --no-input`, in endpoint and in edge mode: the
// moment the output shows the next section's title (the previous section is finished and recorded),
// the process and its in-process sandbox die; the sandbox's state is on disk under the config dir.
// Run again, the setup completes, and the sandbox holds exactly one of everything.
import { describe, expect, it } from 'vitest';
import { GUIDE_INDEX_HTML } from '../../src/core/site';
import { expectConverged } from './converged';
import { SECTIONS, inWorld, killAtSection, runSandboxSetup, type Mode } from './kill-harness';

describe.each(['endpoint', 'edge'] as Mode[])(
  'setup --sandbox --no-input (%s mode) killed at a step boundary, then run again',
  (mode) => {
    it.concurrent.each(SECTIONS.slice(1).map((section) => ({ section })))(
      'killed as "$section" begins',
      ({ section }) =>
        inWorld(mode, async (world) => {
          const killed = await killAtSection(world, section);
          // Everything before the section ran; nothing after it did.
          const index = SECTIONS.indexOf(section);
          for (const earlier of SECTIONS.slice(0, index)) expect(killed.output).toContain(`== ${earlier}\n`);
          for (const later of SECTIONS.slice(index + 1)) expect(killed.output).not.toContain(`== ${later}\n`);
          if (index > SECTIONS.indexOf('Set Up The Application')) {
            // Nothing can stop the site server of a SIGKILLed setup; until the rerun stops it (recorded in
            // children.json), it must go on serving the page, not hold the port while failing every request.
            const url = `http://127.0.0.1:${world.port}/`;
            const page = await fetch(url).catch((error: Error) => {
              throw new Error(
                `nothing serves ${url} after the kill (${String(error.cause ?? error)}); the killed run:\n${killed.output}`,
              );
            });
            expect(page.status).toBe(200);
            expect(await page.text()).toBe(GUIDE_INDEX_HTML);
          }

          const again = await runSandboxSetup(world);
          expect(again.exitCode, again.output).toBe(0);
          await expectConverged(world);
        }),
    );
  },
);
