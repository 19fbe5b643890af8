// A fixed-size buffer that keeps the newest items: memory stays flat however much is pushed.
export class RingBuffer<T> {
  private readonly items: Array<T | undefined>;
  private next = 0;
  private count = 0;
  /** How many items were ever pushed (dropped ones included). */
  total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.total++;
  }

  get size(): number {
    return this.count;
  }

  /** The item `back` places from the newest (0 = newest). */
  fromEnd(back: number): T | undefined {
    if (back < 0 || back >= this.count) return undefined;
    return this.items[(this.next - 1 - back + this.capacity * 2) % this.capacity];
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = this.count - 1; i >= 0; i--) out.push(this.fromEnd(i)!);
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}
