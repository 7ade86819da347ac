/**
 * Scans a list of files on several threads that share one queue: each thread claims the next batch
 * through an atomic counter in shared memory, reads its files synchronously and scans them, so both
 * cores work and a slow file holds up only its own thread. The main thread is one of them: a worker
 * costs a second copy of the bundle and the engine in memory, and the main thread has nothing else to do.
 *
 * Workers are started before the list is complete (see `ScanPool.start`), so that loading the bundle
 * and building their engine overlaps the listing instead of following it.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { buildEngine, loadConfig } from '../config/load.js';
import { defaultConfig } from '../config/types.js';
import type { Engine } from '../scan/engine.js';
import { addStats, emptyStats } from '../scan/scanner.js';
import { scanListed, type ListedFile, type ListScanResult } from './files.js';

/** Files claimed per step: large enough that the shared counter is not contended, small enough to balance. */
const BATCH = 32;

/** Below this many files, starting a worker (it loads the bundle and builds its engine) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 400;

/** How the workers rebuild the main thread's engine: from the same config file, already validated there. */
export interface EngineSource {
  /** Absolute path of the config file, or undefined for the defaults. */
  configPath?: string;
}

interface WorkerSetup {
  kind: 'key-hygiene-scan';
  engine: EngineSource;
  maxBytes: number;
}

/** Sent once the list is complete: the files and the shared counter of the next file to claim. */
interface WorkerJob {
  files: ListedFile[];
  next: SharedArrayBuffer;
}

type WorkerMessage = { kind: 'progress'; files: number; bytes: number } | { kind: 'done'; result: ListScanResult } | { kind: 'error'; message: string };

/** What a worker listens and answers on (`parentPort`). */
export interface WorkerPort {
  once(event: 'message', listener: (job: WorkerJob) => void): unknown;
  postMessage(message: WorkerMessage): void;
}

/** The number of threads to scan on by default: one per core, at most 4 (reading, not scanning, limits beyond that). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Workers started ahead of the list they will scan, with the main thread as one more scanner. */
export class ScanPool {
  private readonly workers: Worker[];
  private readonly outcomes: Promise<ListScanResult>[];
  private onProgress: (files: number, bytes: number) => void = () => undefined;

  private constructor(script: URL, count: number, setup: WorkerSetup) {
    const threads = workerThreads();
    this.workers = Array.from({ length: count }, () => new threads.Worker(script, { workerData: setup, stdout: false, stderr: false, argv: [WORKER_ARG] }));
    this.outcomes = this.workers.map(
      (worker) =>
        new Promise<ListScanResult>((resolve, reject) => {
          let settled = false;
          worker.on('message', (m: WorkerMessage) => {
            if (m.kind === 'progress') this.onProgress(m.files, m.bytes);
            else if (m.kind === 'done') {
              settled = true;
              resolve(m.result);
            } else {
              settled = true;
              reject(new Error(m.message));
            }
          });
          worker.on('error', (error) => {
            settled = true;
            reject(error);
          });
          worker.on('exit', (code) => {
            if (!settled) reject(new Error(`a scan worker stopped with exit code ${code}`));
          });
        }),
    );
    // A pool closed unused must not leave an unhandled rejection behind.
    for (const o of this.outcomes) o.catch(() => undefined);
  }

  /**
   * Starts `count` workers from `script` (a module that calls `runScanWorker` when loaded in a worker);
   * they load the bundle and build their engine while the caller is still listing files.
   */
  static start(script: URL, count: number, engine: EngineSource, maxBytes: number): ScanPool {
    return new ScanPool(script, count, { kind: 'key-hygiene-scan', engine, maxBytes });
  }

  /** How many workers run beside the main thread. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Scans `files` on the workers and on this thread with `engine` (which blocks this thread until the
   * queue is empty). Findings come back in no particular order; renderers sort them.
   */
  async run(engine: Engine, files: ListedFile[], maxBytes: number, onProgress: (files: number, bytes: number) => void): Promise<ListScanResult> {
    this.onProgress = onProgress;
    const next = new SharedArrayBuffer(4);
    for (const w of this.workers) w.postMessage({ files, next } satisfies WorkerJob);
    const own = claimAndScan(engine, files, maxBytes, new Int32Array(next), onProgress);
    const merged = own;
    for (const r of await Promise.all(this.outcomes)) {
      addStats(merged.stats, r.stats);
      for (const f of r.findings) merged.findings.push(f);
      for (const s of r.skips) merged.skips.push(s);
    }
    return merged;
  }

  /** Stops workers that were started but are not needed after all (the list turned out short). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Claims batches from the shared counter until the queue is empty. */
function claimAndScan(
  engine: Engine,
  files: readonly ListedFile[],
  maxBytes: number,
  counter: Int32Array,
  onBatch: (files: number, bytes: number) => void,
): ListScanResult {
  const total: ListScanResult = { findings: [], stats: emptyStats(), skips: [] };
  for (;;) {
    const start = Atomics.add(counter, 0, BATCH);
    if (start >= files.length) break;
    const r = scanListed(engine, files.slice(start, start + BATCH), maxBytes);
    addStats(total.stats, r.stats);
    for (const f of r.findings) total.findings.push(f);
    for (const s of r.skips) total.skips.push(s);
    onBatch(r.stats.files, r.stats.bytes);
  }
  return total;
}

/** Marks a scan worker's `process.argv`, so the bundle can tell it is one without loading worker_threads. */
const WORKER_ARG = '--key-hygiene-scan-worker';

/**
 * worker_threads, loaded when first needed: a scan of a few files (a pre-commit run) starts no worker,
 * and loading the module cost every start a few milliseconds. A computed name keeps the bundler out of it.
 */
function workerThreads(): typeof import('node:worker_threads') {
  const name = 'node:worker_threads';
  return createRequire(import.meta.url)(name) as typeof import('node:worker_threads');
}

/**
 * When this thread was started by `ScanPool.start`, its setup and the port to the main thread;
 * otherwise undefined (worker_threads is not even loaded then).
 */
export function scanWorkerContext(): { setup: WorkerSetup; port: WorkerPort } | undefined {
  if (!process.argv.includes(WORKER_ARG)) return undefined;
  const { isMainThread, parentPort, workerData } = workerThreads();
  const data = workerData as unknown;
  if (isMainThread || parentPort === null || typeof data !== 'object' || data === null || (data as { kind?: unknown }).kind !== 'key-hygiene-scan') return undefined;
  return { setup: data as WorkerSetup, port: parentPort };
}

/** The worker's side: builds the engine at once, then waits for the list and claims batches until the queue is empty. */
export function runScanWorker(setup: WorkerSetup, port: WorkerPort): void {
  const post = (m: WorkerMessage): void => port.postMessage(m);
  const ready = (async () => {
    const config = setup.engine.configPath === undefined ? defaultConfig() : await loadConfig(setup.engine.configPath, { explicit: true });
    return buildEngine(config);
  })();
  ready.catch(() => undefined); // reported when the list arrives, not as an unhandled rejection before it
  port.once('message', (job) => {
    ready
      .then((engine) => {
        const result = claimAndScan(engine, job.files, setup.maxBytes, new Int32Array(job.next), (files, bytes) => post({ kind: 'progress', files, bytes }));
        post({ kind: 'done', result });
      })
      .catch((error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
  });
}
