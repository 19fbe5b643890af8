// A log file that never grows past a size: past `maxBytes` it becomes `<file>.1` (replacing the
// previous one) and a new file starts. Writes are batched (one write per ~64 KB or 200 ms), so a
// flood of agent lines costs a few syscalls, not one per line. Mode 0600: lines may name hosts and ids.
import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export class CappedLogFile {
  private fd: number | undefined;
  private size = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    private readonly maxBytes = 5 * 1024 * 1024,
  ) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.open();
  }

  private open(): void {
    this.fd = openSync(this.file, 'a', 0o600);
    try {
      this.size = statSync(this.file).size;
    } catch {
      this.size = 0;
    }
  }

  write(line: string): void {
    if (this.fd === undefined) return;
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= 64 * 1024) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), 200);
      this.timer.unref();
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.fd === undefined || this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    // One write per run of lines that fits; the file turns over where the next line would not.
    let run = '';
    let runBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line) + 1;
      if (this.size + runBytes + bytes > this.maxBytes && this.size + runBytes > 0) {
        this.append(run, runBytes);
        this.rotate();
        run = '';
        runBytes = 0;
      }
      run += `${line}\n`;
      runBytes += bytes;
    }
    this.append(run, runBytes);
  }

  private append(text: string, bytes: number): void {
    if (!text) return;
    writeSync(this.fd!, text);
    this.size += bytes;
  }

  private rotate(): void {
    closeSync(this.fd!);
    renameSync(this.file, `${this.file}.1`);
    this.open();
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
