/**
 * Zip writers (fflate inside docx, JSZip inside exceljs) stamp every entry with the time of writing, so the
 * same document zipped a second later differs in a few bytes. This sets every entry's DOS date and time (and
 * any extended-timestamp field) to one instant, in place, which makes an office file a function of its
 * content. The CRCs cover the data only, so nothing else changes.
 */

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const EXTENDED_TIME = 0x5455;

/** DOS time and date words of an instant, read in UTC (zip has no zone; any fixed choice is deterministic). */
function dosTime(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

function patchExtra(buffer: Buffer, start: number, length: number, seconds: number, local: boolean): void {
  let at = start;
  while (at + 4 <= start + length) {
    const id = buffer.readUInt16LE(at);
    const size = buffer.readUInt16LE(at + 2);
    if (id === EXTENDED_TIME && size >= 5) {
      const flags = buffer.readUInt8(at + 4);
      // The central copy holds the modification time only; the local one each time its flags name.
      const count = local ? [1, 2, 4].filter((bit) => flags & bit).length : flags & 1 ? 1 : 0;
      for (let i = 0; i < count && 5 + 4 * (i + 1) <= size; i++)
        buffer.writeUInt32LE(seconds, at + 5 + 4 * i);
    }
    at += 4 + size;
  }
}

/** A copy of the zip with every entry's timestamps set to `at`. */
export function fixZipTimes(zip: Buffer | Uint8Array, at: Date): Buffer {
  const buffer = Buffer.from(zip);
  let end = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const { time, date } = dosTime(at);
  const seconds = Math.floor(at.getTime() / 1000);
  const entries = buffer.readUInt16LE(end + 10);
  let at0 = buffer.readUInt32LE(end + 16);
  for (let n = 0; n < entries; n++) {
    if (buffer.readUInt32LE(at0) !== CENTRAL) throw new Error('zip central directory is damaged');
    buffer.writeUInt16LE(time, at0 + 12);
    buffer.writeUInt16LE(date, at0 + 14);
    const nameLength = buffer.readUInt16LE(at0 + 28);
    const extraLength = buffer.readUInt16LE(at0 + 30);
    const commentLength = buffer.readUInt16LE(at0 + 32);
    const localAt = buffer.readUInt32LE(at0 + 42);
    patchExtra(buffer, at0 + 46 + nameLength, extraLength, seconds, false);
    if (buffer.readUInt32LE(localAt) !== LOCAL) throw new Error('zip local header is damaged');
    buffer.writeUInt16LE(time, localAt + 10);
    buffer.writeUInt16LE(date, localAt + 12);
    const localName = buffer.readUInt16LE(localAt + 26);
    const localExtra = buffer.readUInt16LE(localAt + 28);
    patchExtra(buffer, localAt + 30 + localName, localExtra, seconds, true);
    at0 += 46 + nameLength + extraLength + commentLength;
  }
  return buffer;
}
