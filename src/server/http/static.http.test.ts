import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createUser, PASSWORD, seedTerritory, TERRITORY } from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-database.ts';

const INDEX = `<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body>${'console '.repeat(200)}</body></html>`;
const SCRIPT = `export const text = ${JSON.stringify('河清社区 '.repeat(2000))};\n`;

/**
 * The built console is served light: hashed files under /assets/ are kept by browsers for a year, index.html
 * is asked again every time; the build's precompressed copies (.br, .gz) go out as they are, and the API's
 * larger answers are compressed on the way.
 */
describe('serving the web build', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let cookie = '';

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    const admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    const webDir = mkdtempSync(join(tmpdir(), 'gridgov-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), INDEX);
    writeFileSync(join(webDir, 'sw.js'), `self.BUILD = ${JSON.stringify('x'.repeat(2000))};`);
    const script = join(webDir, 'assets', 'index-AbC123.js');
    writeFileSync(script, SCRIPT);
    writeFileSync(`${script}.br`, brotliCompressSync(SCRIPT));
    writeFileSync(`${script}.gz`, gzipSync(SCRIPT));
    app = await buildApp({
      services: ctx.services,
      config: ctx.config,
      backend: ctx.database.backend,
      version: 'test',
      webDir,
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: admin.username, password: PASSWORD },
    });
    cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('sends a hashed asset brotli-compressed from its .br copy, to be kept for a year', async () => {
    const response = await app.inject({
      url: '/assets/index-AbC123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(SCRIPT);
    expect(response.rawPayload.length).toBeLessThan(SCRIPT.length / 4);
  });

  it('sends the gzip copy to a client without brotli, and the file itself to one that takes neither', async () => {
    const gzip = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(SCRIPT);
    const plain = await app.inject({
      url: '/assets/index-AbC123.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('has browsers ask again for the page and the service worker on every visit', async () => {
    for (const url of ['/', '/cases/12', '/index.html', '/sw.js']) {
      const response = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.headers['content-encoding'], url).toBe('br');
    }
    const page = await app.inject({ url: '/public/report', headers: { 'accept-encoding': 'br' } });
    expect(brotliDecompressSync(page.rawPayload).toString()).toBe(INDEX);
  });

  it('compresses an API answer of a kilobyte or more, and leaves a small one as it is', async () => {
    // The API's own description: tens of kilobytes of JSON.
    const large = await app.inject({ url: '/api/docs/json', headers: { 'accept-encoding': 'gzip, br' } });
    expect(large.statusCode).toBe(200);
    expect(large.headers['content-encoding']).toBe('br');
    const json = JSON.parse(brotliDecompressSync(large.rawPayload).toString());
    expect(JSON.stringify(json).length).toBeGreaterThan(1024);
    const small = await app.inject({
      url: '/api/v1/regions/tree',
      headers: { cookie, 'accept-encoding': 'gzip, br' },
    });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.statusCode).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.json()).toBeTypeOf('object');
  });
});
