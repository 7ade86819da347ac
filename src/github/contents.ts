import type { Client } from './client.js';
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
 * A file's bytes at a ref; `undefined` when the file is not there. With `maxBytes`, the body is read as a
 * stream and dropped as soon as it passes the cap: the raw media type serves files of up to 100 MB, and a
 * pull request of many large files would otherwise hold each one in memory whole before it is refused.
 */
export async function getFileBytes(client: Client, repo: RepoRef, path: string, ref: string): Promise<Uint8Array | undefined> {
  const read = await getFileCapped(client, repo, path, ref, Number.POSITIVE_INFINITY);
  if (read === undefined) return undefined;
  if ('tooLarge' in read) throw new Error('unreachable: no cap was set');
  return read.bytes;
}

/** See `getFileBytes`; `tooLarge` when the file is larger than `maxBytes`. */
export async function getFileCapped(client: Client, repo: RepoRef, path: string, ref: string, maxBytes: number): Promise<CappedFile | undefined> {
  try {
    return await callEndpoint(GET_CONTENT, async () => {
      // The raw media type serves files up to 100 MB as they are; the JSON form stops at 1 MB and base64-encodes.
      const response = await client.rest.repos.getContent({
        ...repo,
        path,
        ref,
        mediaType: { format: 'raw' },
        request: { parseSuccessResponseBody: false },
      });
      const length = Number(response.headers['content-length'] ?? Number.NaN);
      const data = response.data as unknown;
      if (Number.isFinite(length) && length > maxBytes) {
        if (data instanceof ReadableStream) await data.cancel();
        return { tooLarge: true } as const;
      }
      return readCapped(data, maxBytes);
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Reads a body up to `maxBytes`, stopping the transfer once it passes the cap. */
async function readCapped(data: unknown, maxBytes: number): Promise<CappedFile> {
  if (!(data instanceof ReadableStream)) {
    const bytes = toBytes(data);
    return bytes.byteLength > maxBytes ? { tooLarge: true } : { bytes };
  }
  const reader = (data as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes };
}

/** Octokit hands raw bodies over as text or as an ArrayBuffer, depending on the content type GitHub sends. */
function toBytes(data: unknown): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error('GET /repos/{owner}/{repo}/contents/{path} returned a directory or a body that is not a file');
}
