import { Worker } from 'node:worker_threads';

export interface UpdateCheckerOptions {
  /** A check not answered within this time kills the worker (default 2 s). */
  timeoutMs?: number;
  /** Heap limit of the worker, so a decoder that allocates without end dies alone (default 256 MiB). */
  maxHeapMb?: number;
  /** Worker script; tests pass one that hangs. */
  workerUrl?: URL;
}

interface Pending {
  worker: Worker;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Decodes untrusted Yjs updates in a worker thread before the server applies them: a crafted update that makes
 * the decoder loop (yjs issue 687) stalls the worker, not the server. A check that times out or kills the worker
 * fails (the sender's connection is closed); the worker is replaced on the next check.
 */
export class UpdateChecker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly workerUrl: URL;

  constructor(options: UpdateCheckerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.maxHeapMb = options.maxHeapMb ?? 256;
    this.workerUrl = options.workerUrl ?? new URL('./update-check-worker.mjs', import.meta.url);
  }

  /** Resolves if `update` decodes; rejects naming the problem otherwise. */
  check(update: Uint8Array): Promise<void> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(worker, new Error(`an update took more than ${this.timeoutMs} ms to decode`));
      }, this.timeoutMs);
      this.pending.set(id, { worker, resolve, reject, timer });
      worker.postMessage({ id, update });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) this.fail(worker, new Error('the update checker was closed'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl, { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    worker.unref();
    worker.on('message', (msg: { id: number; ok: boolean; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve();
      else p.reject(new Error(`the update does not decode: ${msg.error ?? 'unknown error'}`));
    });
    worker.on('error', (err) => this.fail(worker, new Error(`the update checker failed: ${err.message}`)));
    worker.on('exit', () => this.fail(worker, new Error('the update checker stopped')));
    this.worker = worker;
    return worker;
  }

  /** Kills `worker` and fails every check it had: the next check starts a fresh one. */
  private fail(worker: Worker, err: Error): void {
    if (this.worker === worker) this.worker = undefined;
    void worker.terminate();
    for (const [id, p] of this.pending) {
      // A replaced worker's late 'exit' must not fail the checks its successor is running.
      if (p.worker !== worker) continue;
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }
}
