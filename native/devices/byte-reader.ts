import { fail } from '../../core/util/errors';

/**
 * Collects bytes from a stream that delivers them in arbitrary chunks — a printer answers
 * DLE EOT with one byte, often in its own TCP segment or serial read, and several answers
 * may arrive together or split. `read(n)` resolves once n bytes are buffered.
 */
export class ByteReader {
  private buf: number[] = [];
  private waiter: { n: number; resolve: (b: Uint8Array) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  private closedError: Error | null = null;

  push(chunk: Uint8Array): void {
    for (const b of chunk) this.buf.push(b);
    this.settle();
  }

  close(err: Error): void {
    this.closedError = err;
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      const w = this.waiter;
      this.waiter = null;
      w.reject(err);
    }
  }

  /** Drop anything buffered (stale answers from a previous query). */
  clear(): void {
    this.buf = [];
  }

  read(n: number, timeoutMs: number, what: string): Promise<Uint8Array> {
    if (this.waiter) fail('INTERNAL', 'ByteReader: only one read at a time');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no answer to ${what} within ${timeoutMs} ms (got ${this.buf.length} of ${n} bytes)`));
      }, timeoutMs);
      this.waiter = { n, resolve, reject, timer };
      if (this.closedError && this.buf.length < n) {
        clearTimeout(timer);
        this.waiter = null;
        reject(this.closedError);
        return;
      }
      this.settle();
    });
  }

  private settle(): void {
    const w = this.waiter;
    if (!w || this.buf.length < w.n) return;
    clearTimeout(w.timer);
    this.waiter = null;
    w.resolve(Uint8Array.from(this.buf.splice(0, w.n)));
  }
}
