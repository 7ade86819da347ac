import { crc32 } from 'node:zlib';

/** The digits GitHub and npm use to write a token's CRC32: 0-9, then A-Z, then a-z. */
export const BASE62_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** CRC-32 (IEEE 802.3, the one zlib computes) of a string's UTF-8 bytes, as an unsigned integer. */
export function crc32Of(text: string): number {
  // zlib encodes a string as UTF-8 itself, without the Buffer a near-miss would otherwise cost.
  return crc32(text) >>> 0;
}

/** `value` written in `digits`' base, left-padded with the zero digit to `width`. */
export function encodeBase(value: number, digits: string, width: number): string {
  const base = digits.length;
  let out = '';
  let v = value;
  do {
    out = digits[v % base] + out;
    v = Math.floor(v / base);
  } while (v > 0);
  return out.padStart(width, digits[0]);
}

/**
 * GitHub's and npm's token checksum: the last 6 characters are the CRC32 of the random part (not the
 * prefix), in base62, left-padded with zeros.
 */
export function base62Crc32(body: string): string {
  return encodeBase(crc32Of(body), BASE62_DIGITS, 6);
}
