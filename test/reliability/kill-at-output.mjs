// Preloaded (NODE_OPTIONS=--import) into a CLI process that a test kills at a point of its output:
// the moment the text in $KILL_AT_OUTPUT has been written to stdout, the process SIGKILLs itself,
// before it runs one more line. Killing it from the test when the test reads the text is too late on
// a busy machine: the test's worker reads the pipe when it gets the core, and by then the run may be
// a section further (seen under `npm test`: killed at "Finishing Up With FusionAuth", the output
// already had "== Test It Out"). Node writes stdout to a pipe at once when the pipe has room (Linux;
// Node's "A note on process I/O"), so the text is in the pipe when the kill lands; were the pipe full
// (64 KiB unread), the text would be lost with the process and killAtSection would say "not killed
// at", never pass wrongly. Nothing else changes: the signal is the
// same SIGKILL, of the same process, which leaves its children running as an outside kill does.
const marker = process.env.KILL_AT_OUTPUT;
if (marker) {
  const write = process.stdout.write;
  let tail = '';
  process.stdout.write = function writeThenMaybeDie(chunk, ...rest) {
    const result = write.call(this, chunk, ...rest);
    tail = (tail + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))).slice(-4 * marker.length);
    if (tail.includes(marker)) process.kill(process.pid, 'SIGKILL');
    return result;
  };
}
