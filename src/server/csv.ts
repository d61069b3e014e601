/*
 * CSV cells that a spreadsheet program would run. Excel, WPS and LibreOffice read a cell that starts with
 * = + - @ (or a tab or carriage return in front of one) as a formula: a resident's name or a hotline caller's
 * complaint written as `=HYPERLINK("http://…", "点击")` would become a live link, or worse, in the exported
 * file an official opens. Every CSV gridgov writes passes its cells through `safeCsvCell` (OWASP: prefix a
 * single quote, which those programs take as "this is text" and hide).
 */

/** The first characters that make a spreadsheet program read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A number written as text ("-12.5", "+86") is left alone: it cannot call anything, and a longitude or an
 * amount should not come back from a round trip with a quote in front.
 */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as it may be written to a CSV file: text that could run as a formula is prefixed with `'`. */
export function safeCsvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** A row of cells, each made safe by `safeCsvCell`. */
export function safeCsvRow(cells: readonly (string | number | boolean | null | undefined)[]): string[] {
  return cells.map(safeCsvCell);
}

/**
 * A cell read back from a file gridgov wrote: the quote `safeCsvCell` put in front of a formula-like text is
 * taken off again, so an exported file imports as it was exported.
 */
export function unguardCsvCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) && !PLAIN_NUMBER.test(value.slice(1))
    ? value.slice(1)
    : value;
}
