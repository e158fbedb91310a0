import { MetaFormatError } from './metaError';

/**
 * What a meta file may be before we try to parse it. The whole file is parsed into a lossless tree, which
 * costs ~37× its size in memory (46 MB of real meta — 40,000 segments — took 1 GB), so a 300 MiB file killed
 * the process with "Reached heap limit", and one such file in any folder took `list` and the tree down with it.
 *
 * - META_MAX_BYTES (64 MiB, about 55,000 segments): a larger file is refused as unreadable — one catalog entry
 *   with the reason — after reading at most this many bytes (never the whole file into memory).
 * - META_MAX_DEPTH (64): the Go meta nests 6 levels deep; a deeper file is refused before parsing (10,000
 *   nested arrays used to overflow the parser's stack).
 * - invalid UTF-8 is refused (decoding would silently turn it into U+FFFD, and names would change).
 */
export const META_MAX_BYTES = 64 * 1024 * 1024;
export const META_MAX_DEPTH = 64;

export class MetaTooLargeError extends MetaFormatError {
  constructor(what: string, limit: number) {
    super(`${what}: larger than ${limit / (1024 * 1024)} MiB, the limit for a meta file (about 55,000 segments); not read`);
    this.name = 'MetaTooLargeError';
  }
}

/** UTF-8 text of a meta file, or a MetaFormatError at the first invalid byte sequence. */
export function decodeMetaText(buf: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const at = firstInvalidUtf8(buf);
    throw new MetaFormatError(`${what}: not valid UTF-8 (at byte ${at})`);
  }
}

function firstInvalidUtf8(buf: Buffer): number {
  for (let lo = 0, hi = buf.length; ;) {
    if (hi - lo <= 4) {
      for (let i = lo; i < hi; i++) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, i + 1), { stream: true });
        } catch {
          return i;
        }
      }
      return lo;
    }
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
}

/** Refuses JSON nested deeper than META_MAX_DEPTH, in one pass over the text (strings skipped). */
export function checkNesting(text: string, what: string, maxDepth = META_MAX_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped char
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw new MetaFormatError(`${what}: nested deeper than ${maxDepth} levels (the Go meta has 6); not parsed`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}
