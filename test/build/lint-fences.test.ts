// The import fences of eslint.config.js, proven through ESLint's Node API on one-line snippets
// linted as if they stood in the fenced folders. Each fence must fire on a forbidden import and stay
// quiet on an allowed one, so a fence dropped from the config, or one that fires on everything,
// fails here.
import { ESLint } from 'eslint';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The fences and the cycle check need no type information, and building it for the whole project
 * (what the parser's projectService does for a file of tsconfig.json) took ~15 s of CPU, more than
 * every fence probe together: this instance lints with the real config minus the type-aware parser
 * and the three rules that need it.
 */
const untyped = new ESLint({
  cwd: root,
  overrideConfig: [
    {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parserOptions: { projectService: false, project: false } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/no-misused-promises': 'off',
        '@typescript-eslint/await-thenable': 'off',
      },
    },
  ],
});

/**
 * A type-aware probe at a path under src/ that is no file of the project (PROBE): the real config's
 * rules for src/, with the type information of that one file (projectService's default project)
 * instead of the whole program's.
 */
const PROBE = 'src/__lint_probe__/probe.ts';
const typed = new ESLint({
  cwd: root,
  overrideConfig: [
    {
      files: [PROBE],
      languageOptions: { parserOptions: { projectService: { allowDefaultProject: [PROBE] } } },
    },
  ],
});

/**
 * An existing source file of `folder` (relative to the root): a snippet is linted under a real
 * file's name, so that the fences judge it where it stands and the cycle check follows that file's
 * real imports. Its text stands in for the file's for that one lint, and nothing on disk changes.
 */
function fileIn(folder: string): string {
  const name = readdirSync(join(root, folder))
    .sort()
    .find((entry) => /\.tsx?$/.test(entry));
  if (!name) throw new Error(`no .ts file in ${folder} to lint a snippet under`);
  return `${folder}/${name}`;
}

/** `import '…'` of `target` (relative to the root, no extension), written from the file `from`. */
function importOf(from: string, target: string): string {
  const specifier = relative(dirname(join(root, from)), join(root, target));
  return `import '${specifier.startsWith('.') ? specifier : `./${specifier}`}';\n`;
}

/** What ESLint reports for `code` linted as the file `path`; a parse failure throws, so no probe passes unread. */
async function lint(
  path: string,
  code: string,
  eslint: ESLint = untyped,
): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  const messages = result?.messages ?? [];
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${path}: ${fatal.message}`);
  return messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

/** The fence messages for an import of `target` from a file of `folder`. */
async function fencesHit(folder: string, target: string): Promise<string[]> {
  const at = fileIn(folder);
  const messages = await lint(at, importOf(at, target));
  return messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('layering fences', () => {
  it.each([
    'src/core/errors',
    'src/steps/index',
    'src/ui/App',
    'src/commands/global-options',
    'src/cli',
    'src/program',
  ])('src/sandbox imports nothing of the app: %s', async (target) => {
    // src/cli.ts also trips the fence that guards it everywhere: both messages are right.
    expect(await fencesHit('src/sandbox', target)).toEqual(
      expect.arrayContaining([expect.stringContaining('The sandbox stands in for')]),
    );
  });

  it.each(['src/steps/types', 'src/ui/App', 'src/commands/global-options'])(
    'src/core imports nothing from %s',
    async (target) => {
      expect(await fencesHit('src/core', target)).toEqual([
        expect.stringContaining('src/core has no React and no steps'),
      ]);
    },
  );

  it('src/ui imports nothing from src/commands', async () => {
    expect(await fencesHit('src/ui', 'src/commands/global-options')).toEqual([
      expect.stringContaining('Screens are driven by commands'),
    ]);
  });

  it.each(['src/commands', 'src/ui', 'test/helpers'])('nothing imports src/cli.ts: from %s', async (folder) => {
    expect(await fencesHit(folder, 'src/cli')).toEqual([expect.stringContaining('src/cli.ts is the entry point')]);
  });

  it.each(['src/steps', 'src/core', 'src/core/tunnel', 'test/helpers'])(
    'outside src/core/text, that folder is reached only through its door: from %s',
    async (folder) => {
      expect(await fencesHit(folder, 'src/core/text/redact')).toEqual([
        expect.stringContaining('through its door, src/core/text/index.ts'),
      ]);
    },
  );

  it.each([
    ['src/sandbox', 'src/sandbox/idp/index'],
    ['src/ui', 'src/steps/types'],
    ['src/commands', 'src/ui/App'],
    ['src/steps', 'src/core/text/index'],
    ['src/core/tunnel', 'src/core/text/index'],
    ['src/core/text', 'src/core/text/redact'],
    ['test/helpers', 'src/core/text/index'],
  ])('allowed: %s may import %s', async (folder, target) => {
    expect(await fencesHit(folder, target)).toEqual([]);
  });
});

describe('the checks beside the fences', () => {
  it('a promise nobody awaits or catches', async () => {
    const messages = await lint(PROBE, 'export async function f() {\n  Promise.resolve(1);\n}\n', typed);
    expect(messages.map((m) => m.ruleId)).toEqual(['@typescript-eslint/no-floating-promises']);
  });

  it('an import cycle: errors.ts → findings.ts → errors.ts', async () => {
    const messages = await lint('src/core/errors.ts', "export { finding } from './findings';\n");
    expect(messages.map((m) => m.ruleId)).toEqual(['import-x/no-cycle']);
  });
});
