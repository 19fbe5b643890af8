// The shipped build as scripts/build.mjs left it: which sources went into which file of dist/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli';

const METAFILE = path.join(ROOT, 'node_modules/.cache/ngrok-fusionauth-build/meta.json');

/** Each output of dist/ (relative to the repository, `dist/cli.js`) with the inputs bundled into it. */
export function shippedOutputs(): Array<{ file: string; inputs: string[] }> {
  const meta = JSON.parse(readFileSync(METAFILE, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  return Object.entries(meta.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => ({ file, inputs: Object.keys(output.inputs) }));
}

/** The outputs of dist/ that hold `input` (a path relative to the repository, or a `namespace:path`). */
export function outputsHolding(input: string): string[] {
  return shippedOutputs()
    .filter((output) => output.inputs.includes(input))
    .map((output) => output.file);
}
