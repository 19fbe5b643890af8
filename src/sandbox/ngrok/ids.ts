// Resource ids shaped like ngrok's (`rd_2x…`, 27 base62 characters after the prefix). They sort by
// creation time as strings, because the API's list order and `before_id` paging depend on that.
import { randomBytes } from 'node:crypto';

// ASCII order, so that string comparison of equal-length ids follows numeric order.
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
let lastTick = 0n;

function encode(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0n) {
    out = BASE62[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out.padStart(width, '0');
}

export function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE62[byte % 62];
  return out;
}

/** A time-ordered id: microsecond tick (strictly increasing within this process) + randomness. */
export function newId(prefix: string): string {
  let tick = BigInt(Date.now()) * 1000n;
  if (tick <= lastTick) tick = lastTick + 1n;
  lastTick = tick;
  return `${prefix}_${encode(tick, 10)}${randomBase62(17)}`;
}

/** Lower-case random name for generated domains (`sandbox-k3v9x2.ngrok.app`). */
export function randomName(length = 6): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}
