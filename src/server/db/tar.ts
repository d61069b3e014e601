import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * A plain ustar archive, written and read without a dependency: a backup is one file any `tar` can list
 * and unpack, and gridgov can read one entry of it by position without unpacking the rest.
 */
const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
// Eleven octal digits: the largest size a classic header holds (8 GiB - 1); larger sizes use GNU base-256.
const MAX_OCTAL_SIZE = 0o77777777777;

export interface TarEntry {
  name: string;
  size: number;
  /** Byte position of the entry's content in the archive. */
  offset: number;
}

export class TarWriter {
  private constructor(private readonly file: FileHandle) {}

  static async create(path: string): Promise<TarWriter> {
    return new TarWriter(await open(path, 'wx', 0o600));
  }

  async addBuffer(name: string, bytes: Uint8Array, mtime = new Date()): Promise<void> {
    await this.file.write(header(name, bytes.length, mtime));
    await this.file.write(bytes);
    await this.pad(bytes.length);
  }

  /** Streams `size` bytes from `source`; a source that yields another count is an error, not a bad archive. */
  async addStream(
    name: string,
    size: number,
    source: AsyncIterable<Uint8Array>,
    mtime = new Date(),
  ): Promise<void> {
    await this.file.write(header(name, size, mtime));
    let written = 0;
    for await (const chunk of source) {
      written += chunk.length;
      if (written > size) throw new Error(`${name} grew while it was being archived`);
      await this.file.write(chunk);
    }
    if (written !== size) throw new Error(`${name} shrank while it was being archived`);
    await this.pad(size);
  }

  /** Ends the archive (two zero blocks) and closes the file, flushed to disk. */
  async close(): Promise<void> {
    await this.file.write(Buffer.concat([ZERO_BLOCK, ZERO_BLOCK]));
    await this.file.sync();
    await this.file.close();
  }

  /** Closes without ending the archive: what a failed backup does before removing its partial file. */
  async abandon(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  private async pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest) await this.file.write(ZERO_BLOCK.subarray(0, BLOCK - rest));
  }
}

/** The regular files of an archive with their positions; reads only the headers. */
export async function listTar(path: string): Promise<TarEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size: total } = await file.stat();
    const entries: TarEntry[] = [];
    const block = Buffer.alloc(BLOCK);
    let position = 0;
    while (position + BLOCK <= total) {
      const { bytesRead } = await file.read(block, 0, BLOCK, position);
      if (bytesRead < BLOCK || block.equals(ZERO_BLOCK)) break;
      if (checksumOf(block) !== readOctal(block, 148, 8)) {
        throw new Error(`not a tar archive, or damaged at byte ${position}`);
      }
      const size = readSize(block);
      const type = String.fromCharCode(block[156] ?? 0);
      const prefix = readString(block, 345, 155);
      const name = (prefix ? `${prefix}/` : '') + readString(block, 0, 100);
      if (type === '0' || type === '\0') entries.push({ name, size, offset: position + BLOCK });
      position += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
      if (position > total) throw new Error(`the archive ends inside ${name}: it is truncated`);
    }
    return entries;
  } finally {
    await file.close();
  }
}

/** The content of one entry, as a stream. */
export function readTarEntry(path: string, entry: TarEntry): Readable {
  // `end` is inclusive; an empty entry is an empty range.
  return createReadStream(path, { start: entry.offset, end: entry.offset + entry.size - 1 });
}

function header(name: string, size: number, mtime: Date): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`archive entry name too long: ${name}`);
  const block = Buffer.alloc(BLOCK);
  nameBytes.copy(block, 0);
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  if (size <= MAX_OCTAL_SIZE) {
    writeOctal(block, 124, 12, size);
  } else {
    block[124] = 0x80;
    block.writeBigUInt64BE(BigInt(size), 128);
  }
  writeOctal(block, 136, 12, Math.floor(mtime.getTime() / 1000));
  block.write('0', 156, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  block.write(`${checksumOf(block).toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return block;
}

/** The header's checksum: the sum of its bytes, with the checksum field counted as eight spaces. */
function checksumOf(block: Buffer): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i] ?? 0;
  return sum;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, 'latin1');
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const text = block
    .toString('latin1', offset, offset + length)
    .replace(/[\0 ]+$/, '')
    .trim();
  return text ? Number.parseInt(text, 8) : 0;
}

function readSize(block: Buffer): number {
  if (((block[124] ?? 0) & 0x80) === 0) return readOctal(block, 124, 12);
  return Number(block.readBigUInt64BE(128));
}

function readString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  return block.toString('utf8', offset, end >= 0 && end < offset + length ? end : offset + length);
}
