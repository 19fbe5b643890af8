// Set up before every file of the unit tier (vitest.config.ts): a test there that starts a process or
// a server fails at once, naming what it started, instead of slowing `npm run test:fast` down or
// making it depend on python, ports and timing. Such a file belongs in the integration tier.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const refuse = (what: string): never => {
  throw new Error(
    `The unit tier starts no process and no server, but this test ${what}. Take its file out of UNIT_TESTS in vitest.config.ts (it then runs in the integration tier).`,
  );
};

// spawn, exec, execFile and fork all start their child through ChildProcess#spawn (in Node's
// lib/child_process.js), a method @types/node does not declare.
const childPrototype = childProcess.ChildProcess.prototype as unknown as { spawn(options: { file?: string }): unknown };
childPrototype.spawn = function spawn(options) {
  return refuse(`starts ${options?.file ?? 'a process'}`);
};
// The synchronous ones do not; replacing them on the module and syncing its ESM view covers both
// `childProcess.execFileSync` and `import { execFileSync } from 'node:child_process'`.
for (const name of ['spawnSync', 'execSync', 'execFileSync'] as const) {
  Object.assign(childProcess, { [name]: (file: string) => refuse(`starts ${file}`) });
}
syncBuiltinESMExports();

// http(s).Server and every other server listen through net.Server#listen.
net.Server.prototype.listen = function listen() {
  return refuse('listens on a port');
};
