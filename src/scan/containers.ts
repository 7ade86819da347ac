/**
 * Values that hide their content in base64, which the rules cannot read as written: the `data:`
 * entries of a Kubernetes Secret manifest and base64-encoded JWTs. The engine decodes each one, scans
 * the decoded text with the same rules and reports what it finds at the encoded value.
 */

/** One encoded value: where it is written, what holds it, and the text to scan in its place. */
export interface EncodedValue {
  start: number;
  end: number;
  /** What holds the value, for the finding's title: `Kubernetes Secret data`. */
  kind: string;
  /** The decoded text, with the entry's name before it where that gives a rule its context. */
  inner: string;
}

/** Longest encoded value decoded (a Secret's data may hold a whole file; 1 MiB is Kubernetes' own cap). */
const MAX_ENCODED = 1_400_000;
/** Decoded text with control characters other than tab, LF, VT, FF and CR is binary (a keystore, an image). */
function isBinary(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f || c === 0xfffd) return true;
  }
  return false;
}

const KIND_SECRET = /^kind:[ \t]*["']?Secret["']?[ \t]*\r?$/m;
const DATA_KEY = /^([ \t]*)data:[ \t]*\r?$/;
const DATA_ENTRY = /^([ \t]+)([A-Za-z0-9_.-]{1,253}):[ \t]*(["']?)([A-Za-z0-9+/]{4,}={0,2})\3[ \t]*\r?$/;
/** base64 of `{"` followed by the rest of a JWT header: `eyJ` encoded again. */
const ENCODED_JWT = /(?<![A-Za-z0-9+/])ZXlK[A-Za-z0-9+/]{40,8000}={0,2}(?![A-Za-z0-9+/=])/g;

function decodeText(encoded: string): string | undefined {
  if (encoded.length > MAX_ENCODED || encoded.replace(/=+$/, '').length % 4 === 1) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  if (decoded.length === 0 || isBinary(decoded)) return undefined;
  return decoded;
}

/** The `data:` entries of Kubernetes Secret manifests in a YAML text, one line read once. */
function secretData(text: string, out: EncodedValue[]): void {
  if (!text.includes('Secret') || !KIND_SECRET.test(text)) return;
  let dataIndent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(lineStart, lineEnd);
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) {
      const indent = line.length - line.trimStart().length;
      if (dataIndent >= 0 && indent <= dataIndent) dataIndent = -1;
      const key = DATA_KEY.exec(line);
      if (key !== null) dataIndent = (key[1] as string).length;
      else if (dataIndent >= 0) {
        const entry = DATA_ENTRY.exec(line);
        const value = entry?.[4];
        const decoded = value === undefined ? undefined : decodeText(value);
        if (entry !== null && value !== undefined && decoded !== undefined) {
          const start = lineStart + line.indexOf(value, (entry[1] as string).length + (entry[2] as string).length + 1);
          // A one-line value reads as an assignment to the entry's name; a file's content as itself.
          const inner = decoded.includes('\n') ? decoded : `${entry[2] as string}=${decoded}`;
          out.push({ start, end: start + value.length, kind: 'Kubernetes Secret data', inner });
        }
      }
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
}

/** Every encoded value in `text` worth decoding, in order of position. */
/**
 * Lowercase literals without which a text holds no encoded value: a manifest's `kind:` at a line's start and base64 of
 * `eyJ`. The engine's keyword scan, which reads every text anyway, says which of them occur, so a text
 * without them costs nothing here.
 */
export const ENCODED_MARKERS = { manifest: '\nkind:', jwt: 'zxlk' } as const;

/** Which markers a text holds (case-insensitively, as the keyword scan matches). */
export interface MarkersSeen {
  manifest: boolean;
  jwt: boolean;
}

export function encodedValues(text: string, seen: MarkersSeen = { manifest: true, jwt: true }): EncodedValue[] {
  const out: EncodedValue[] = [];
  // The marker is a line that starts with `kind:` (source code indents its `kind:` properties); the
  // text's first line has no newline before it.
  if (seen.manifest || text.startsWith('kind:')) secretData(text, out);
  if (seen.jwt && text.includes('ZXlK')) {
    const seen = new Set(out.map((v) => v.start));
    ENCODED_JWT.lastIndex = 0;
    for (let m = ENCODED_JWT.exec(text); m !== null; m = ENCODED_JWT.exec(text)) {
      if (seen.has(m.index)) continue;
      const decoded = decodeText(m[0]);
      if (decoded !== undefined) out.push({ start: m.index, end: m.index + m[0].length, kind: 'base64', inner: decoded });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
