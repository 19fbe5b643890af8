// Lint = the few type-aware checks tsc cannot make, plus the layering of src/ as import fences.
//
// Shape after Gemini CLI's eslint.config.js (google-gemini/gemini-cli, commit 5411f113): one flat
// config built with typescript-eslint, the parser's projectService for type information, and
// fences as `files`-scoped import rules. Our fences are between folders, not packages, so they use
// import-x/no-restricted-paths, which judges the file an import *resolves* to: a specifier such as
// '../../core/agent/log' cannot be fenced by its text alone.
//
// The rule set is chosen, not a preset: recommended-type-checked reported 345 problems here, 233 of
// them no-unsafe-* on JSON and HTTP bodies that the code narrows with its own checks, and most of
// the rest style (require-await, unbound-method): noise that would bury the findings that are bugs.
// tsc (strict, noUnusedLocals) already covers what the syntactic presets add. What lint adds:
// promises nobody awaits or catches, promises where a void callback is expected, awaits of
// non-promises, import cycles, and the fences.
//
// typescript-eslint needs TypeScript's JavaScript API, which TypeScript 7 no longer ships (its peer
// range is <6.1; typescript-eslint/typescript-eslint#12518). package.json therefore runs the two
// side by side, as TypeScript 7's release notes describe: `typescript` is @typescript/typescript6
// (the 6.0 API, for this linter) and `@typescript/native` is typescript@7, whose `tsc` is the one
// `npm run typecheck` runs.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const root = import.meta.dirname;

// Every src/core/<domain>/ folder, read at load time so that a new domain is fenced the day it
// appears.
const coreDomains = readdirSync(path.join(root, 'src/core'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// The app, as opposed to the sandbox stand-ins that pretend to be the outside world.
const app = ['src/core', 'src/steps', 'src/ui', 'src/commands', 'src/cli.ts', 'src/program.ts'];

/** @type {{ target: string | string[], from: string | string[], except?: string[], message: string }[]} */
export const fences = [
  {
    target: 'src/sandbox',
    from: app,
    message: 'The sandbox stands in for FusionAuth and ngrok: it must not use the app it is testing.',
  },
  {
    target: 'src/core',
    from: ['src/steps', 'src/ui', 'src/commands', 'src/program.ts'],
    message: 'src/core has no React and no steps: it may not import the layers built on top of it.',
  },
  {
    target: 'src/ui',
    from: 'src/commands',
    message: 'Screens are driven by commands, never the other way round.',
  },
  {
    target: '.',
    from: 'src/cli.ts',
    message: 'src/cli.ts is the entry point: importing it would run the command line.',
  },
  // The door rule: outside src/core/<domain>/, that folder is reached only through its index.ts.
  ...coreDomains.map((domain) => ({
    target: [
      '*.{ts,tsx,js,mjs}',
      '!(src)/**',
      'src/*.{ts,tsx}',
      'src/!(core)/**',
      'src/core/*.{ts,tsx}',
      `src/core/!(${domain})/**`,
    ],
    from: `src/core/${domain}`,
    except: ['./index.ts'],
    message: `Import src/core/${domain} through its door, src/core/${domain}/index.ts.`,
  })),
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'src/core/store/generated/**', '.tmp/**', 'apptoprotect/**'],
  },
  {
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}', 'vitest.config.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      // Imports are extensionless (moduleResolution bundler): resolve them as tsc does, and parse
      // what they point at as TypeScript, or no-cycle would see no edges past the first file.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') })],
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // ignoreExternal: a cycle needs our own files on both ends; without it no-cycle parsed the
      // packages under node_modules too, a third of eslint's time (18.2 s -> 14.9 s wall).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: fences }],
    },
  },
);
