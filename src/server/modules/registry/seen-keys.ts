/**
 * The natural keys an import has met so far, and the row each was first met on — for telling a row that repeats
 * an earlier row of the same file. A million keys as strings in a Map would take some 100 MB; here each is a
 * 52-bit hash in a flat open-addressing table, 12 bytes a slot, so a million keys take about 24 MB. Two different
 * keys share a hash with a probability of about n²/2⁵³ (one in ten thousand imports of a million rows), and then
 * the later row is reported as repeating the earlier one: the report names both rows, so it is seen at once.
 */
export function createSeenKeys(initialCapacity = 1 << 16) {
  let capacity = initialCapacity;
  let hashes = new Float64Array(capacity);
  let rows = new Int32Array(capacity);
  let size = 0;

  function slotOf(table: Float64Array, hash: number): number {
    let slot = hash % table.length;
    while (table[slot] !== 0 && table[slot] !== hash) slot = (slot + 1) % table.length;
    return slot;
  }

  function grow(): void {
    const oldHashes = hashes;
    const oldRows = rows;
    capacity *= 2;
    hashes = new Float64Array(capacity);
    rows = new Int32Array(capacity);
    for (let i = 0; i < oldHashes.length; i++) {
      const hash = oldHashes[i] ?? 0;
      if (hash === 0) continue;
      const slot = slotOf(hashes, hash);
      hashes[slot] = hash;
      rows[slot] = oldRows[i] ?? 0;
    }
  }

  return {
    /** The row `key` was first met on; or null, and `row` is remembered as its first. */
    firstRowOf(key: string, row: number): number | null {
      const hash = hash52(key);
      const slot = slotOf(hashes, hash);
      if (hashes[slot] === hash) return rows[slot] ?? null;
      hashes[slot] = hash;
      rows[slot] = row;
      size++;
      if (size * 2 > capacity) grow();
      return null;
    },
    get size() {
      return size;
    },
  };
}

/** Two 32-bit FNV-1a hashes with different offsets, combined into a non-zero integer below 2⁵². */
function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return ((a >>> 0) % 0x100000) * 0x100000000 + (b >>> 0) + 1;
}
