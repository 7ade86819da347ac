import type { Client } from './client.js';
import type { RepoRef } from './commits.js';
import { callEndpoint, isNotFound, type Endpoint } from './errors.js';

const GET_CONTENT: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/contents/{path}',
  permission: 'contents: read',
  notFound: 'the file is not at that ref',
};

/** A file's bytes at a ref; `undefined` when the file is not there. */
export async function getFileBytes(client: Client, repo: RepoRef, path: string, ref: string): Promise<Uint8Array | undefined> {
  try {
    return await callEndpoint(GET_CONTENT, async () => {
      // The raw media type serves files up to 100 MB as they are; the JSON form stops at 1 MB and base64-encodes.
      const response = await client.rest.repos.getContent({ ...repo, path, ref, mediaType: { format: 'raw' } });
      return toBytes(response.data as unknown);
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
