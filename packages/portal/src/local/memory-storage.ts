// The platform's Storage in memory, for unit tests of what the page keeps in localStorage.

export class MemoryStorage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  key(i: number): string | null {
    return [...this.#items.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.#items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.#items.set(k, v);
  }
  removeItem(k: string): void {
    this.#items.delete(k);
  }
}
