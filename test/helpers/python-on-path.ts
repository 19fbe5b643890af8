// vitest's globalSetup (vitest.config.ts): put the real python3's folder first on PATH for the whole
// suite, when `python3` on PATH is a version manager's shim.
//
// pyenv's shim (~/.pyenv/shims/python3) is a bash script that runs `pyenv exec`, which starts about
// 25 more processes (bash, readlink, basename) to find the version before exec'ing the interpreter:
// ~55 ms of CPU and ~85 ms of wall time per start, measured here, where the real interpreter needs
// ~25 ms. The suite starts python ~600 times (every site server and every `python3 --version` of a
// preflight), so the shim alone cost ~35 s of CPU on a 2-core machine. The tests still run the very
// interpreter the shim would have chosen (its sys.executable), by the same name `python3`, found on
// PATH as the product finds it; what the product does with a shim is the product's own business and
// is unchanged (core/process/child-env.ts passes PYENV_* on).
import { execFileSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';

/** The folder of the interpreter `python3` on PATH runs, if PATH reaches it only through a shim. */
export function realPythonDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let executable: string;
  try {
    executable = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    }).trim();
  } catch {
    return undefined; // no python3: the tests that need it say so themselves
  }
  if (!path.isAbsolute(executable)) return undefined;
  const dir = path.dirname(executable);
  const first = (env.PATH ?? '').split(path.delimiter).find((entry) => {
    try {
      accessSync(path.join(entry, 'python3'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  // Already first (no shim, or a virtualenv's python3 itself): nothing to change.
  if (first !== undefined && realpathSync(first) === realpathSync(dir)) return undefined;
  return dir;
}

export default function setup(): void {
  const dir = realPythonDir();
  if (dir) process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ''}`;
}
