// Keeps every core busy for as long as it runs: spinning child processes (`for (;;) {}`) on the cores
// that nothing else keeps busy, re-judged every half second from the kernel's counters. Alone on a
// machine that is one spinner per core, and the commands under test share the cores with them; inside
// `npm test`, whose other workers keep the cores busy most of the time, it is the few cores they leave
// idle now and then, instead of spinners that take a share of every core from every other test for the
// length of the file (they cost the suite ~40 s of a 2-core machine's time that way).
import { execa, type ResultPromise } from 'execa';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const EVERY_MS = 500;

/** Busy and total clock ticks of the whole machine since boot (/proc/stat's first line). */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  // user nice system idle iowait irq softirq steal: idle time is idle + iowait.
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** CPU ticks a process has used (utime + stime in /proc/PID/stat), 0 once it is gone. */
function processTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export class BusyCores {
  private readonly spinners: ResultPromise[] = [];
  private readonly retired: ResultPromise[] = [];
  private timer?: NodeJS.Timeout;
  private readonly first = machineTicks();
  private last = { machine: this.first, spinners: 0 };

  start(): this {
    this.adjust();
    this.timer = setInterval(() => this.adjust(), EVERY_MS);
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const spinner of this.spinners) spinner.kill('SIGKILL');
    await Promise.all([...this.spinners, ...this.retired]);
  }

  /** How busy the machine's cores were since start(), 0–1: what a test checks "every core busy" by. */
  busyShare(): number {
    const now = machineTicks();
    return (now.busy - this.first.busy) / Math.max(1, now.total - this.first.total);
  }

  /** As many spinners as the cores that others left idle over the last half second (a part counts). */
  private adjust(): void {
    const machine = machineTicks();
    const spinners = this.spinners.reduce((sum, s) => sum + processTicks(s.pid), 0);
    const elapsed = machine.total - this.last.machine.total;
    const cores = availableParallelism();
    // Cores busy with anything but our spinners, over the interval (the whole run at the first call).
    const others =
      elapsed > 0 ? (cores * (machine.busy - this.last.machine.busy - (spinners - this.last.spinners))) / elapsed : 0;
    this.last = { machine, spinners };
    const wanted = Math.max(0, Math.min(cores, Math.ceil(cores - others - 0.05)));
    while (this.spinners.length < wanted)
      this.spinners.push(execa(process.execPath, ['-e', 'for (;;) {}'], { reject: false, stdin: 'ignore' }));
    while (this.spinners.length > wanted) {
      const spinner = this.spinners.pop()!;
      spinner.kill('SIGKILL');
      this.retired.push(spinner);
    }
  }
}
