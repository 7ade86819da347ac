import { MAX_RAW_FILE_BYTES, TOO_LARGE_HEADER, type Client } from './client.js';
import type { RepoRef } from './commits.js';
import { callEndpoint, isNotFound, type Endpoint } from './errors.js';

const GET_CONTENT: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/contents/{path}',
  permission: 'contents: read',
  notFound: 'the file is not at that ref',
};

/** A file read with a size cap: its bytes, or that it is larger than the cap (and was not read past it). */
export type CappedFile = { bytes: Uint8Array } | { tooLarge: true };

/**
 * A file's bytes at a ref; `undefined` when the file is not there.
 * @throws when the file is larger than the client reads (10 MiB).
 */
export async function getFileBytes(client: Client, repo: RepoRef, path: string, ref: string): Promise<Uint8Array | undefined> {
  const read = await getFileCapped(client, repo, path, ref, MAX_RAW_FILE_BYTES);
  if (read === undefined) return undefined;
  if ('tooLarge' in read) throw new Error(`${path} at ${ref.slice(0, 7)} is larger than ${MAX_RAW_FILE_BYTES / (1024 * 1024)} MiB`);
  return read.bytes;
}

/**
 * A file's bytes at a ref, or `tooLarge` past `maxBytes`; `undefined` when the file is not there. The
 * client stops the transfer of a raw file at 10 MiB (GitHub serves up to 100 MB), so a pull request of
 * many large files never holds one in memory whole.
 */
export async function getFileCapped(client: Client, repo: RepoRef, path: string, ref: string, maxBytes: number): Promise<CappedFile | undefined> {
  try {
    return await callEndpoint(GET_CONTENT, async () => {
      // The raw media type serves files up to 100 MB as they are; the JSON form stops at 1 MB and base64-encodes.
      const response = await client.rest.repos.getContent({ ...repo, path, ref, mediaType: { format: 'raw' } });
      if (response.headers[TOO_LARGE_HEADER] !== undefined) return { tooLarge: true } as const;
      const bytes = toBytes(response.data as unknown);
      return bytes.byteLength > maxBytes ? ({ tooLarge: true } as const) : { bytes };
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Octokit hands raw bodies over as text or as an ArrayBuffer, depending on the content type GitHub sends. */
function toBytes(data: unknown): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error('GET /repos/{owner}/{repo}/contents/{path} returned a directory or a body that is not a file');
}
