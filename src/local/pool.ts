/**
 * Scans a list of files on worker threads that share one queue: each worker claims the next batch
 * through an atomic counter in shared memory, reads its files synchronously and scans them, so both
 * cores work and a slow file holds up only its own worker.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildEngine, loadConfig } from '../config/load.js';
import { defaultConfig } from '../config/types.js';
import { addStats, emptyStats } from '../scan/scanner.js';
import type { Finding } from '../scan/types.js';
import { scanListed, type ListedFile, type ListScanResult, type Skip } from './files.js';

/** Files claimed per step: large enough that the shared counter is not contended, small enough to balance. */
const BATCH = 32;

/** Below this many files, starting workers (each loads the bundle and builds its engine) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 400;

/** How the workers rebuild the main thread's engine: from the same config file, already validated there. */
export interface EngineSource {
  /** Absolute path of the config file, or undefined for the defaults. */
  configPath?: string;
}

interface WorkerInput {
  kind: 'key-hygiene-scan';
  engine: EngineSource;
  files: ListedFile[];
  maxBytes: number;
  next: SharedArrayBuffer;
}

type WorkerMessage = { kind: 'progress'; files: number; bytes: number } | { kind: 'done'; result: ListScanResult } | { kind: 'error'; message: string };

/** The number of workers to use by default: one per core, at most 4 (reading, not scanning, limits beyond that). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Scans `files` on `jobs` workers started from `script` (a module that calls `runScanWorker` when it is
 * loaded in a worker). Findings come back in no particular order; renderers sort them.
 */
export async function scanInWorkers(
  script: URL,
  jobs: number,
  engine: EngineSource,
  files: ListedFile[],
  maxBytes: number,
  onProgress: (files: number, bytes: number) => void,
): Promise<ListScanResult> {
  const next = new SharedArrayBuffer(4);
  const input: WorkerInput = { kind: 'key-hygiene-scan', engine, files, maxBytes, next };
  const results = await Promise.all(
    Array.from({ length: jobs }, () => new Promise<ListScanResult>((resolve, reject) => {
      const worker = new Worker(script, { workerData: input, stdout: false, stderr: false });
      let settled = false;
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'progress') onProgress(m.files, m.bytes);
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
    })),
  );
  const merged: ListScanResult = { findings: [] as Finding[], stats: emptyStats(), skips: [] as Skip[] };
  for (const r of results) {
    addStats(merged.stats, r.stats);
    for (const f of r.findings) merged.findings.push(f);
    for (const s of r.skips) merged.skips.push(s);
  }
  return merged;
}

/** True when this thread was started by `scanInWorkers`. */
export function isScanWorker(data: unknown): data is WorkerInput {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'key-hygiene-scan';
}

/** The worker's side: builds the engine, then claims batches until the queue is empty. */
export async function runScanWorker(input: WorkerInput, post: (m: WorkerMessage) => void): Promise<void> {
  try {
    const config = input.engine.configPath === undefined ? defaultConfig() : await loadConfig(input.engine.configPath, { explicit: true });
    const engine = buildEngine(config);
    const counter = new Int32Array(input.next);
    const total: ListScanResult = { findings: [], stats: emptyStats(), skips: [] };
    for (;;) {
      const start = Atomics.add(counter, 0, BATCH);
      if (start >= input.files.length) break;
      const batch = input.files.slice(start, start + BATCH);
      const r = scanListed(engine, batch, input.maxBytes);
      addStats(total.stats, r.stats);
      for (const f of r.findings) total.findings.push(f);
      for (const s of r.skips) total.skips.push(s);
      post({ kind: 'progress', files: r.stats.files, bytes: r.stats.bytes });
    }
    post({ kind: 'done', result: total });
  } catch (error) {
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}
