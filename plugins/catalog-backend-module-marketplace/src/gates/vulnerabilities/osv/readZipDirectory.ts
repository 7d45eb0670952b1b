import { InputError } from '@backstage/errors';
import { BOUND_KEYS } from '../../../bounds/keys';
import { LimitExceededError } from '../../../bounds/LimitExceededError';

/**
 * One file of a zip as its central directory describes it.
 *
 * @internal
 */
export interface ZipDirectoryEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  /** As declared; inflating must not produce more. */
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const MAX_U32 = 0xffffffff;

/** Bounds-checked little-endian reads that fail with a clear error on a broken zip. */
class Reader {
  constructor(private readonly data: Buffer) {}

  check(offset: number, length: number) {
    if (offset < 0 || offset + length > this.data.length) {
      throw new InputError(
        'The zip is truncated or its directory points outside the file',
      );
    }
  }
  u16(offset: number) {
    this.check(offset, 2);
    return this.data.readUInt16LE(offset);
  }
  u32(offset: number) {
    this.check(offset, 4);
    return this.data.readUInt32LE(offset);
  }
  u64(offset: number) {
    this.check(offset, 8);
    const value = this.data.readBigUInt64LE(offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new InputError(
        'The zip declares a size or offset too large to handle',
      );
    }
    return Number(value);
  }
  text(offset: number, length: number, utf8: boolean) {
    this.check(offset, length);
    return this.data.toString(
      utf8 ? 'utf8' : 'latin1',
      offset,
      offset + length,
    );
  }
}

function findEndOfDirectory(data: Buffer): number {
  // The end record sits in the last 22 bytes plus a comment of at most 65535 bytes.
  const lowest = Math.max(0, data.length - 22 - 0xffff);
  for (let offset = data.length - 22; offset >= lowest; offset--) {
    if (data.readUInt32LE(offset) === EOCD) return offset;
  }
  throw new InputError(
    'The data is not a zip file: it has no end of central directory record',
  );
}

/**
 * Lists a zip's files from its central directory (Zip64 included) without inflating
 * anything, so that sizes and counts can be checked first. The entry count is checked
 * against `maxEntries` before the directory is walked.
 *
 * @internal
 */
export function readZipDirectory(options: {
  data: Buffer;
  maxEntries: number;
}): ZipDirectoryEntry[] {
  const { data, maxEntries } = options;
  const r = new Reader(data);
  const eocd = findEndOfDirectory(data);
  let count = r.u16(eocd + 10);
  let offset = r.u32(eocd + 16);
  if (eocd >= 20 && r.u32(eocd - 20) === ZIP64_LOCATOR) {
    const zip64 = r.u64(eocd - 12);
    if (r.u32(zip64) !== ZIP64_EOCD) {
      throw new InputError(
        'The zip has a broken Zip64 end of central directory record',
      );
    }
    count = r.u64(zip64 + 32);
    offset = r.u64(zip64 + 48);
  }
  if (count > maxEntries) {
    throw new LimitExceededError(
      `The zip holds ${count} entries, more than the limit of ${maxEntries} (${BOUND_KEYS.osv}.maxEntries); refusing it`,
      'maxEntries',
    );
  }
  const entries: ZipDirectoryEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (r.u32(offset) !== CENTRAL_HEADER) {
      throw new InputError(
        `The zip's central directory is broken at entry ${i + 1}`,
      );
    }
    const flags = r.u16(offset + 8);
    const nameLength = r.u16(offset + 28);
    const extraLength = r.u16(offset + 30);
    const commentLength = r.u16(offset + 32);
    let compressedSize = r.u32(offset + 20);
    let uncompressedSize = r.u32(offset + 24);
    let localHeaderOffset = r.u32(offset + 42);
    const name = r.text(offset + 46, nameLength, (flags & 0x800) !== 0);
    // Zip64 keeps the real values in extra field 0x0001, in this order, for each field
    // whose 32-bit slot is saturated.
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = r.u16(extra);
      const size = r.u16(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        if (uncompressedSize === MAX_U32) {
          uncompressedSize = r.u64(field);
          field += 8;
        }
        if (compressedSize === MAX_U32) {
          compressedSize = r.u64(field);
          field += 8;
        }
        if (localHeaderOffset === MAX_U32) localHeaderOffset = r.u64(field);
      }
      extra += 4 + size;
    }
    entries.push({
      name,
      method: r.u16(offset + 10),
      encrypted: (flags & 1) !== 0,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    });
    offset = extraEnd + commentLength;
  }
  return entries;
}

/**
 * Where an entry's compressed bytes start, from its local header.
 *
 * @internal
 */
export function zipEntryDataRange(options: {
  data: Buffer;
  entry: ZipDirectoryEntry;
}): {
  start: number;
  end: number;
} {
  const { data, entry } = options;
  const r = new Reader(data);
  const header = entry.localHeaderOffset;
  if (r.u32(header) !== 0x04034b50) {
    throw new InputError(`The zip's local header of '${entry.name}' is broken`);
  }
  const start = header + 30 + r.u16(header + 26) + r.u16(header + 28);
  const end = start + entry.compressedSize;
  r.check(start, entry.compressedSize);
  return { start, end };
}
