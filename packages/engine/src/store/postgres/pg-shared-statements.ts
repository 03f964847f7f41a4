// Per-request statements of one instance shared by concurrent requests (docs/engine.md
// "Storage contract", PostgreSQL): authentication reads a key twice per request and
// claims a nonce once, each its own round trip on the pool — at 64 requests in flight
// that is most of a placement's statements (docs/performance.md "Eighth pass"). A
// `SharedStatement` sends a call at once when none of its kind is on its way; calls made
// while one is on its way wait for it and then go together in ONE statement. Each call's
// statement therefore starts after the call was made, so what it reads is committed data
// no older than a statement of its own would read (clause 5: key and organisation status
// are read per request, never cached past it), and a claim is decided by the database
// statement that carries it. No delay is added: a call that finds nothing on its way
// starts at once.

interface Call<K, V> {
  readonly key: K;
  readonly resolve: (v: V) => void;
  readonly reject: (e: unknown) => void;
}

/** Runs the statement for a set of calls: one answer per call, in the calls' order. */
export type RunShared<K, V> = (keys: readonly K[]) => Promise<readonly V[]>;

export class SharedStatement<K, V> {
  readonly #run: RunShared<K, V>;
  readonly #max: number;
  #waiting: Call<K, V>[] = [];
  #busy = false;

  /** `max`: at most this many calls in one statement (its parameters stay small). */
  constructor(run: RunShared<K, V>, max = 256) {
    this.#run = run;
    this.#max = max;
  }

  call(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.#waiting.push({ key, resolve, reject });
      if (!this.#busy) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#waiting.length > 0) {
        const calls = this.#waiting.splice(0, this.#max);
        try {
          const answers = await this.#run(calls.map((c) => c.key));
          for (const [i, c] of calls.entries()) c.resolve(answers[i]!);
        } catch (e) {
          // The statement failed whole (a lost connection, a timeout): every call gets its
          // error, and each caller decides as if its own statement had failed.
          for (const c of calls) c.reject(e);
        }
      }
    } finally {
      this.#busy = false;
    }
  }
}
