// The kill harness's own judgements, which the kill-point tests rely on: a run that is to die at a
// line of its output dies right there (kill-at-output.mjs), and an inventory whose sandbox could not
// have its remembered FusionAuth port says so (SandboxPortMoved) instead of reporting another URL.
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventory, killAtSection, newWorld, SandboxPortMoved, killStrays } from './kill-harness';

describe('the kill harness', () => {
  it('kills a setup at a section header before it prints another line', async () => {
    const world = await newWorld('endpoint');
    try {
      // stdout alone: stderr's lines interleave with it in `all` and could follow the marker.
      const { stdout } = await killAtSection(world, 'Set Up The Application');
      expect(stdout.endsWith('== Set Up The Application\n'), stdout).toBe(true);
    } finally {
      killStrays(world.root);
    }
  });

  it("refuses an inventory whose sandbox lost FusionAuth's remembered port", async () => {
    const world = await newWorld('endpoint');
    try {
      await killAtSection(world, 'Set Up The Application');
      const { idp } = JSON.parse(readFileSync(path.join(world.sandboxDir, 'ports.json'), 'utf8')) as { idp: number };
      // Its port free, the sandbox comes back on it.
      await expect(inventory(world)).resolves.toMatchObject({ fusionauthUrl: `http://127.0.0.1:${idp}` });
      const squatter = createServer();
      await new Promise<void>((resolve, reject) => {
        squatter.once('error', reject);
        squatter.listen(idp, '127.0.0.1', resolve);
      });
      try {
        await expect(inventory(world)).rejects.toBeInstanceOf(SandboxPortMoved);
      } finally {
        await new Promise((resolve) => squatter.close(resolve));
      }
    } finally {
      killStrays(world.root);
    }
  });
});
