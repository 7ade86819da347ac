/**
 * The default branch's files in one API request: `GET /repos/{owner}/{repo}/tarball/{ref}` answers with a
 * redirect to a short-lived archive link, and the gzipped tar behind it is read as it streams, entry by
 * entry, with tar-stream. Only the entry being read is in memory, and only when it is a wanted text file.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import type { Client } from './client.js';
import type { RepoRef } from './commits.js';
import { callEndpoint, type Endpoint } from './errors.js';

const GET_TARBALL: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/tarball/{ref}',
  permission: 'contents: read',
  notFound: 'the branch has no commits yet, or the token cannot read the repository',
};

/** Bytes inspected for a NUL when deciding a file is binary: git's own heuristic looks at the first 8000. */
const BINARY_SNIFF_BYTES = 8192;

/**
 * The download may take minutes for a large repository, so it has no overall deadline; a connection that
 * sends nothing for this long is taken as dead instead of holding the job to its 6-hour timeout.
 */
export const ARCHIVE_IDLE_TIMEOUT_MS = 60_000;

/** Why an archive entry was not scanned. */
export type ArchiveSkip = 'ignored' | 'tooLarge' | 'binary';

export interface ArchiveVisitor {
  /** Called before any byte of the entry is read: a reason to skip it, or undefined to read it. */
  skip(path: string, size: number): Exclude<ArchiveSkip, 'binary'> | undefined;
  /** A wanted text file, whole. */
  file(path: string, text: string): void;
  /** An entry that was not scanned (drained without being kept). */
  skipped(path: string, reason: ArchiveSkip): void;
}

export interface ArchiveResult {
  /** Regular files seen in the archive, scanned or not. */
  files: number;
  /** Bytes downloaded (compressed). */
  downloadedBytes: number;
  /**
   * The commit the archive holds, as its top directory names it (`owner-repo-<sha>`, abbreviated):
   * what the branch pointed at when it was read, so links stay on what was audited after later pushes.
   */
  commit?: string;
}

/**
 * The archive link for a ref: one API call, answered with a 302 whose `Location` is the link. The link
 * is fetched separately (`readArchive`): it is on GitHub's archive host, not the API, and for a private
 * repository it carries its own short-lived token, so the API token is never sent there.
 */
export async function getArchiveLink(client: Client, repo: RepoRef, ref: string): Promise<string> {
  const response = await callEndpoint(GET_TARBALL, () =>
    client.request('GET /repos/{owner}/{repo}/tarball/{ref}', { ...repo, ref, request: { redirect: 'manual' } }),
  );
  const location = (response.headers as Record<string, unknown>)['location'];
  if (typeof location !== 'string' || location === '') {
    throw new Error(`${GET_TARBALL.route} answered ${response.status} without a Location header where a redirect to the archive was expected; rerun the job later.`);
  }
  return location;
}

/**
 * Downloads the archive at `url` and hands each regular file to `visitor`, in archive order. GitHub's
 * archive puts every path under one top directory (`owner-repo-<sha>/`), which is stripped. Symbolic
 * links, directories and submodule stubs are not files and are passed over. Entries the visitor skips,
 * and binary ones, are drained without being kept; backpressure runs from here back to the socket, so
 * memory stays flat whatever the archive's size.
 *
 * @throws Error naming the archive when the download fails, stalls, or the archive is not a gzipped tar.
 */
export async function readArchive(url: string, visitor: ArchiveVisitor, fetchImpl: typeof fetch = globalThis.fetch): Promise<ArchiveResult> {
  const controller = new AbortController();
  let idle: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => controller.abort(new Error(`no data for ${ARCHIVE_IDLE_TIMEOUT_MS / 1000} s`)), ARCHIVE_IDLE_TIMEOUT_MS);
  };
  touch();
  const result: ArchiveResult = { files: 0, downloadedBytes: 0 };
  try {
    const response = await fetchImpl(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok || response.body === null) {
      throw new Error(`the archive download answered ${response.status}`);
    }
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      result.downloadedBytes += chunk.length;
      touch();
    });
    const gunzip = createGunzip();
    const extract = tarExtract();
    // Errors anywhere upstream end the iteration below with that error.
    body.on('error', (err) => extract.destroy(err));
    gunzip.on('error', (err) => extract.destroy(new Error(`the archive is not valid gzip (${err.message})`)));
    body.pipe(gunzip).pipe(extract as unknown as NodeJS.WritableStream);

    for await (const entry of extract) {
      const { header } = entry;
      if (result.commit === undefined) {
        const top = /^[^/]*-([0-9a-f]{7,40})(?:\/|$)/.exec(header.name);
        if (top !== null) result.commit = top[1];
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        await drain(entry);
        continue;
      }
      const slash = header.name.indexOf('/');
      const path = slash === -1 ? header.name : header.name.slice(slash + 1);
      if (path === '') {
        await drain(entry);
        continue;
      }
      result.files++;
      const reason = visitor.skip(path, header.size);
      if (reason !== undefined) {
        await drain(entry);
        visitor.skipped(path, reason);
        continue;
      }
      const text = await readText(entry);
      if (text === undefined) visitor.skipped(path, 'binary');
      else visitor.file(path, text);
    }
    return result;
  } catch (error) {
    const reason = controller.signal.aborted ? String((controller.signal.reason as Error | undefined)?.message ?? 'aborted') : error instanceof Error ? error.message : String(error);
    throw new Error(`Could not read the repository archive: ${reason}.`, { cause: error });
  } finally {
    clearTimeout(idle);
    controller.abort();
  }
}

/** Reads an entry to its end and keeps nothing. */
async function drain(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const chunk of entry) void chunk;
}

/**
 * An entry's text, or undefined when a NUL in its first 8 KiB makes it binary (git's own judgement);
 * a binary entry's bytes are dropped as soon as that is known and the rest is only drained.
 */
async function readText(entry: AsyncIterable<unknown>): Promise<string | undefined> {
  let chunks: Buffer[] | undefined = [];
  let sniffed = 0;
  for await (const raw of entry) {
    if (chunks === undefined) continue;
    const bytes = raw as Uint8Array;
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (sniffed < BINARY_SNIFF_BYTES) {
      const head = chunk.subarray(0, BINARY_SNIFF_BYTES - sniffed);
      sniffed += head.length;
      if (head.includes(0)) {
        chunks = undefined;
        continue;
      }
    }
    chunks.push(chunk);
  }
  return chunks === undefined ? undefined : Buffer.concat(chunks).toString('utf8');
}
