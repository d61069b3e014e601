import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * CSP sources for the inline scripts of a page (the console's index.html sets zod's configuration before
 * any module runs): each allowed by the SHA-256 of its exact text, so no other inline script runs.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    const text = match[1] ?? '';
    if (text.trim()) hashes.push(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/**
 * The origin a raster tile URL template loads from, as a CSP source: `https://t0.tianditu.gov.cn/…{z}…` gives
 * `https://t0.tianditu.gov.cn`; a host with a placeholder (`t{s}.example.com`) allows its sibling hosts
 * (`*.example.com`). A relative template is served by us and needs nothing.
 */
export function tileSource(template: string | null): string | null {
  if (!template) return null;
  const match = /^(https?):\/\/([^/?#]+)/i.exec(template);
  if (!match) return null;
  const [, scheme, host] = match as unknown as [string, string, string];
  if (!host.includes('{')) return `${scheme}://${host}`;
  const labels = host.split('.');
  if (labels.slice(1).some((label) => label.includes('{')) || labels.length < 3) return null;
  return `${scheme}://*.${labels.slice(1).join('.')}`;
}

/**
 * The Content-Security-Policy the console, the field view and the portal run under. Scripts only from our own
 * files (and the page's own inline scripts, by hash); no eval; styles also inline, because Ant Design writes its
 * styles into <style> elements at run time; MapLibre starts its worker from our file or a blob and draws tiles
 * through data:/blob: images; the basemap's tile servers (its base and label layers) are the one foreign source.
 * Nothing may frame the pages (clickjacking).
 */
export function contentSecurityPolicy(
  tileTemplates: string | null | readonly (string | null)[],
  scriptHashes: readonly string[] = [],
): string {
  const templates =
    typeof tileTemplates === 'string' || tileTemplates === null ? [tileTemplates] : tileTemplates;
  const tiles = [...new Set(templates.map(tileSource).filter((source): source is string => source !== null))];
  const withTiles = (...sources: string[]) => [...sources, ...tiles].join(' ');
  return [
    "default-src 'self'",
    ["script-src 'self'", ...scriptHashes].join(' '),
    "style-src 'self' 'unsafe-inline'",
    `img-src ${withTiles("'self'", 'data:', 'blob:')}`,
    `connect-src ${withTiles("'self'")}`,
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Sets the security headers on every answer, pages and API alike. The CSP follows the basemap an administrator
 * sets in the console, so it is read per answer (the basemap service keeps it for a few seconds).
 */
export function registerSecurityHeaders(
  app: FastifyInstance,
  options: {
    basemap: { current(): Promise<{ url: string; labelUrl: string | null } | null> };
    indexHtml?: string | undefined;
  },
): void {
  const hashes = options.indexHtml ? inlineScriptHashes(options.indexHtml) : [];
  const fixed = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // For browsers that predate frame-ancestors.
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
  // One policy string per basemap: rebuilt only when the basemap changes.
  let policy = { key: '', value: contentSecurityPolicy(null, hashes) };
  app.addHook('onSend', async (_request, reply, payload) => {
    const basemap = await options.basemap.current();
    const key = `${basemap?.url ?? ''}\n${basemap?.labelUrl ?? ''}`;
    if (key !== policy.key) {
      policy = {
        key,
        value: contentSecurityPolicy([basemap?.url ?? null, basemap?.labelUrl ?? null], hashes),
      };
    }
    reply.headers({ ...fixed, 'content-security-policy': policy.value });
    return payload;
  });
}
