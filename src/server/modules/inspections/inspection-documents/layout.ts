/**
 * The neutral shape of a printable document: what each document says is built once as these blocks, and the
 * PDF and the .docx renderers lay the same blocks out, so both files always carry the same text.
 */

export interface Cell {
  text: string;
  /** A second, smaller grey line under the text (e.g. the judging rule under a question). */
  note?: string;
  bold?: boolean;
  /** A grey background, for the labels of a form. */
  shade?: boolean;
  /** Columns this cell covers (1 by default). */
  span?: number;
  align?: 'left' | 'center';
}

export type Block =
  | { kind: 'title'; text: string; subtitle?: string }
  /** The document's number, right-aligned under the title. */
  | { kind: 'number'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; indent?: boolean }
  /** Relative column widths; the header row repeats on each page the table runs onto. */
  | { kind: 'table'; widths: number[]; header?: string[]; rows: Cell[][] }
  /** Lines to sign on, side by side; an entry with an image shows the signature drawn on the phone. */
  | { kind: 'signatures'; entries: SignatureEntry[] }
  /** The issuing office and date, right-aligned, where the seal goes. */
  | { kind: 'seal'; office: string; date: string };

export interface SignatureEntry {
  label: string;
  name?: string;
  image?: { png: Uint8Array; width: number; height: number };
  /** The date printed on its date line; blank (to be written by hand) when absent. */
  date?: string;
}

export interface PrintDocument {
  /** The document's title, also the PDF's and the .docx's metadata title. */
  title: string;
  /** Printed in the footer beside the page number. */
  number: string;
  blocks: Block[];
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Tables of at most this many rows are not split across pages. */
export const KEEP_TOGETHER_ROWS = 5;

/** A date line left to be filled in by hand. */
export const BLANK_DATE = '　　　年　　月　　日';

function civil(at: Date, timeZone: string): { y: number; m: number; d: number; time: string } {
  // sv-SE prints an ISO-like "2026-05-12 17:30:00" in the given zone, whatever the server's locale.
  const text = at.toLocaleString('sv-SE', { timeZone, hour12: false });
  return {
    y: Number(text.slice(0, 4)),
    m: Number(text.slice(5, 7)),
    d: Number(text.slice(8, 10)),
    time: text.slice(11, 16),
  };
}

/** "2026年5月12日", as Chinese documents write dates. */
export function formatDate(at: Date, timeZone: string): string {
  const { y, m, d } = civil(at, timeZone);
  return `${y}年${m}月${d}日`;
}

/** "2026年5月12日 17:30". */
export function formatDateTime(at: Date, timeZone: string): string {
  return `${formatDate(at, timeZone)} ${civil(at, timeZone).time}`;
}

/** Points without a trailing ".0": 65, 62.5. */
export function formatPoints(points: number): string {
  return String(Math.round(points * 100) / 100);
}

/** A rate 0…1 as "72.22%"; a dash when there is none. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(2)}%`;
}

/** The counted rate of a visit: earned / applicable, zeroed by a veto; null when nothing applied. */
export function scoreRate(earned: number, applicable: number, vetoed: boolean): number | null {
  if (applicable <= 0) return null;
  return vetoed ? 0 : earned / applicable;
}

/** A PNG's pixel size, read from its IHDR chunk, so a signature keeps its proportions in both files. */
export function pngImage(png: Uint8Array): { png: Uint8Array; width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47];
  if (png.length < 24 || signature.some((byte, i) => png[i] !== byte)) {
    throw new Error('signature image is not a PNG');
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { png, width: view.getUint32(16), height: view.getUint32(20) };
}

/** Fits an image's box into a maximum box, keeping its proportions. */
export function fitBox(
  width: number,
  height: number,
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number } {
  const scale = Math.min(maxWidth / width, maxHeight / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}
