// The ngrok agent stand-in (dist/sandbox-agent.js, run through the sandbox's `ngrok` wrapper). The
// tests run it ~570 times (`ngrok version` and `ngrok config check` in every preflight): Node's
// on-disk compile cache, as bin/ngrok-fusionauth.js enables it for the CLI, is on before any of its
// code loads, which is why the commands are a module of their own (dispatch.ts).
import module from 'node:module';

module.enableCompileCache?.();
await import('./dispatch');
