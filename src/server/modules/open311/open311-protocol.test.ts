import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import {
  createUser,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { all, field, parseXml } from '../../testing/xml.ts';
import { systemActor } from '../people/actor.ts';

const REPORT = { service_code: '06011', lat: '22.85', long: '112.945', description: '河清路口垃圾堆放' };

/**
 * The Open311 server answers only as Open311, with the console served beside it: unknown paths are the spec's
 * 404, a JSON body is told the POST is form-encoded, a photo may come as multipart/form-data, an attribute the
 * service does not define is noted rather than refused, and discovery says when the service list changed.
 */
describe('Open311 protocol edges', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let apiKey = '';

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    apiKey = (await ctx.services.apiKeys.createKey(admin.actor, { name: '随手拍', rateLimitPerMinute: 60 }))
      .key;
    // The console built beside the server: its page is the answer to any other path.
    const webDir = mkdtempSync(join(tmpdir(), 'gridgov-web-'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><html><body>console</body></html>');
    app = await buildApp({
      services: ctx.services,
      config: ctx.config,
      backend: ctx.database.backend,
      version: 'test',
      webDir,
    });
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const errorOf = (
    response: { statusCode: number; body: string; headers: Record<string, unknown> },
    format: 'xml' | 'json',
  ) => {
    if (format === 'json') {
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const [error] = JSON.parse(response.body);
      return { code: String(error.code), description: String(error.description) };
    }
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(response.body);
    expect(root.name).toBe('errors');
    const [error] = all(root, 'error');
    return { code: error ? field(error, 'code') : '', description: error ? field(error, 'description') : '' };
  };
  const caseOf = async (caseNumber: string) => {
    const { id } = await ctx.database.db
      .selectFrom('cases')
      .select('id')
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    return ctx.services.cases.getCase(systemActor(), id);
  };

  it('answers unknown paths, paths without a format, trailing slashes and typos with the spec’s 404', async () => {
    expect((await app.inject({ method: 'GET', url: '/somewhere/in/the/console' })).body).toContain('console');
    const paths: [string, string, 'xml' | 'json'][] = [
      ['GET', '/open311/v2/requests', 'xml'],
      ['POST', '/open311/v2/requests', 'xml'],
      ['GET', '/open311/v2/requests/', 'xml'],
      ['GET', '/open311/v2/requests.json/', 'xml'],
      ['GET', '/open311/v2/service.json', 'json'],
      ['GET', '/open311/v2/requsts.xml', 'xml'],
      ['GET', '/open311/v2/', 'xml'],
      ['GET', '/open311/', 'xml'],
      ['GET', '/open311', 'xml'],
      ['GET', '/open311/v3/services.json?jurisdiction_id=1', 'json'],
    ];
    for (const [method, url, format] of paths) {
      const response = await app.inject({ method: method as 'GET' | 'POST', url });
      expect(response.statusCode, url).toBe(404);
      expect(errorOf(response, format).code, url).toBe('404');
    }
  });

  it('tells a client that posts JSON that the spec’s POST is form-encoded', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'accept-language': 'en-US' },
      payload: { api_key: apiKey, ...REPORT },
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response, 'json').description).toContain('form-encoded');
    const inChinese = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      payload: '{not even json',
    });
    expect(inChinese.statusCode).toBe(400);
    expect(errorOf(inChinese, 'xml').description).toContain('application/x-www-form-urlencoded');
  });

  /** A multipart/form-data post, as a client uploading photos sends it (FixMyStreet: photo1, photo2 …). */
  const postMultipart = (path: string, fields: Record<string, string>, files: Record<string, Buffer>) => {
    const boundary = '----gridgov-test-boundary';
    const parts = Object.entries(fields).map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    const payload = Buffer.concat([
      Buffer.from(parts.join('')),
      ...Object.entries(files).flatMap(([name, bytes]) => [
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.jpg"\r\n` +
            'Content-Type: image/jpeg\r\n\r\n',
        ),
        bytes,
        Buffer.from('\r\n'),
      ]),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    return app.inject({
      method: 'POST',
      url: `/open311/v2/${path}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  };

  it('takes a multipart/form-data report with a photo, keeping the photo as the case’s evidence', async () => {
    const photo = await samplePhoto();
    const response = await postMultipart('requests.json', { api_key: apiKey, ...REPORT }, { media: photo });
    expect(response.statusCode, response.body).toBe(200);
    const [answer] = JSON.parse(response.body);
    const detail = await caseOf(answer.service_request_id);
    expect(detail.description).toBe(REPORT.description);
    expect(detail.photos).toHaveLength(1);
    const stored = await ctx.services.evidence.readEvidence(systemActor(), detail.photos[0]?.id ?? '');
    expect(stored.bytes.equals(photo)).toBe(true);

    // An update with a photo, as FixMyStreet uploads it: the photo is the timeline entry's evidence.
    const later = await samplePhoto({ colour: '#336699' });
    const update = await postMultipart(
      'servicerequestupdates.json',
      {
        api_key: apiKey,
        service_request_id: answer.service_request_id,
        update_id: '9001',
        status: 'OPEN',
        updated_datetime: '2026-11-23T10:00:00+08:00',
        description: '现场照片补充',
        first_name: '小明',
        last_name: '王',
      },
      { photo1: later },
    );
    expect(update.statusCode, update.body).toBe(200);
    const after = await caseOf(answer.service_request_id);
    expect(after.photos).toHaveLength(2);
    // A file that is no photo is refused in the spec's form, not stored.
    const notAPhoto = await postMultipart(
      'requests.xml',
      { api_key: apiKey, ...REPORT },
      { media: Buffer.from('not an image') },
    );
    expect(notAPhoto.statusCode).toBe(400);
    expect(errorOf(notAPhoto, 'xml').code).toBe('400');
  });

  it('accepts an attribute the service does not define, noting it with the report and in the answer', async () => {
    const body = new URLSearchParams({ api_key: apiKey, ...REPORT, 'attribute[FOO]': 'bar' });
    const response = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    expect(response.statusCode, response.body).toBe(200);
    const [request] = all(parseXml(response.body), 'request');
    expect(request && field(request, 'service_notice')).toContain('attribute[FOO]');
    const detail = await caseOf((request && field(request, 'service_request_id')) ?? '');
    expect(detail.events[0]?.data).toMatchObject({ ignoredAttributes: { FOO: ['bar'] } });
  });

  it('gives as discovery changeset the time the service list last changed, not 1970', async () => {
    const response = await app.inject({ method: 'GET', url: '/open311/discovery.json' });
    expect(JSON.parse(response.body).changeset).toBe('2026-11-23T02:00:00Z');
  });
});
