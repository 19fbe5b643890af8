// Fault injection for tests of whatever supervises the agent, through NGROK_SANDBOX_FAULT: items
// separated by "|" or ",":
//   crash-after:2s     exit abruptly 2 s after the first session is established (no unregistering)
//   exit-code:N        the exit code of a crash (default 1)
//   fail-start         crash at once, before connecting
//   ignore-sigterm     do not exit on SIGTERM/SIGINT (only SIGKILL stops it)
//   refuse:4242        fail to start the way a refused tunnel does, with ERR_NGROK_4242 (a code the
//                      cloud never sends: for what the wizard does with codes it does not know)
import { parseDuration } from '../ngrok/policy/duration';

export interface Fault {
  crashAfterMs?: number;
  exitCode: number;
  failStart: boolean;
  ignoreSigterm: boolean;
  refuseCode?: string;
}

export function parseFault(text: string | undefined): Fault {
  const fault: Fault = { exitCode: 1, failStart: false, ignoreSigterm: false };
  for (const item of (text ?? '')
    .split(/[|,]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value = ''] = item.split(':', 2) as [string, string?];
    if (name === 'crash-after') {
      const ms = parseDuration(value);
      if (ms === undefined) throw new Error(`NGROK_SANDBOX_FAULT: '${item}' needs a duration like 2s`);
      fault.crashAfterMs = ms;
    } else if (name === 'exit-code') {
      if (!/^\d+$/.test(value)) throw new Error(`NGROK_SANDBOX_FAULT: '${item}' needs a number`);
      fault.exitCode = Number(value);
    } else if (name === 'fail-start') fault.failStart = true;
    else if (name === 'ignore-sigterm') fault.ignoreSigterm = true;
    else if (name === 'refuse') {
      if (!/^\d+$/.test(value)) throw new Error(`NGROK_SANDBOX_FAULT: '${item}' needs an error number`);
      fault.refuseCode = `ERR_NGROK_${value}`;
    } else throw new Error(`NGROK_SANDBOX_FAULT: unknown fault '${item}'`);
  }
  return fault;
}
