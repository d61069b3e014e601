/**
 * The two GeoReport v2 formats. A response is one value in the spec's XML shape; JSON is its programmatic
 * mapping (the Spark convention the spec names): a list element becomes an array of its children, so a list
 * response is a top-level array and `<services><service>…` becomes `[{…}]`.
 */

export type Open311Value = string | number | boolean | null | Open311Record | Open311Record[] | string[];
export interface Open311Record {
  [field: string]: Open311Value;
}

export const OPEN311_FORMATS = ['xml', 'json'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

export const CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The element name of one item of each list element, as the spec and the updates extension write them. */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

/** A whole response: the root element and what it holds (a list root is answered as a JSON array). */
export interface Open311Document {
  root: string;
  body: Open311Record | Open311Record[];
}

export function serialize(document: Open311Document, format: Open311Format): string {
  if (format === 'json') return JSON.stringify(document.body);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(document.root, document.body)}\n`;
}

function element(name: string, value: Open311Value): string {
  if (value === null || value === '') return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name];
    if (!item) throw new Error(`no item name for the list element <${name}>`);
    return `<${name}>${value.map((v: Open311Value) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value)
      .map(([field, v]) => element(field, v))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

// Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are dropped.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** W3C date-time with its time zone (UTC, `Z`) and without fractions of a second, as the spec's examples. */
export function w3cDateTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
