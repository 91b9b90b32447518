// Answers already given, kept while nothing has been written. The map asks the same control
// and event pages again and again as the slider moves; an embedded store is open in this
// process only (its lock file keeps other writers out), so the server knows every write and
// drops everything it kept when one happens.

export interface Cached {
  body: string;
  headers: Record<string, string>;
}

export class ResponseCache {
  private readonly entries = new Map<string, Cached>();
  private bytes = 0;
  /** Bumped by every write: an answer computed before it is not kept. */
  private generation = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Cached | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** The generation to pass to set() for an answer being computed now. */
  now(): number {
    return this.generation;
  }

  set(key: string, value: Cached, generation: number): void {
    const size = value.body.length * 2;
    if (generation !== this.generation || size > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.body.length * 2;
    }
    this.entries.set(key, value);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.body.length * 2;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.generation++;
  }
}
