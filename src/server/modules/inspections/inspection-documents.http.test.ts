import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createActiveChecklist,
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedCampaign,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';

/**
 * The printed documents through the API: the inspection opinion of a visit and the report of a covert campaign,
 * as PDF and Word, numbered, named in Chinese, and as invisible as the campaign to the inspected until it is
 * published.
 */

// Monday 2026-11-23, 10:00 Beijing time.
const MONDAY_10 = new Date('2026-11-23T02:00:00Z');
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;

const pdfText = (pdf: Buffer) =>
  spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf })
    .stdout.toString('utf8')
    .replace(/\s+/g, '');

async function docxText(docx: Buffer): Promise<string> {
  const xml = (await (await JSZip.loadAsync(docx)).file('word/document.xml')?.async('string')) ?? '';
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

/** The file name a browser saves under: the RFC 5987 one. */
function savedName(disposition: string | undefined): string {
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition ?? '')?.[1];
  return encoded ? decodeURIComponent(encoded) : '';
}

describe('HTTP: inspection documents', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let organiser: TestUser;
  let inspector: TestUser;
  let sessions: Record<'inspector' | 'worker', HttpSession>;
  let campaignId: number;
  let visitId: number;
  let noticeNumber: string;

  const get = (session: HttpSession, url: string) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie: session.cookie } });

  beforeAll(async () => {
    ctx = await createTestContext({ now: MONDAY_10 });
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    app = await createApp(ctx);
    organiser = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    inspector = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    // The grid worker of the market's village: one of the inspected.
    const worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    sessions = {
      inspector: await httpLogin(app, inspector.username),
      worker: await httpLogin(app, worker.username),
    };
    const checklist = await createActiveChecklist(ctx, [
      { key: '1', points: 60 },
      { key: '2', points: 40 },
    ]);
    const planned = await seedCampaign(ctx, organiser.actor, {
      templateId: checklist.id,
      regionCode: TERRITORY.town,
      name: '文明城市创建暗访',
      covert: true,
      inspectorIds: [inspector.id],
      targets: [{ name: '九江农贸市场', siteType: 'market', lon: 112.945, lat: 22.85 }],
    });
    campaignId = planned.id;
    const campaigns = ctx.services.inspections.campaigns;
    await campaigns.startCampaign(organiser.actor, campaignId, planned.rowVersion);
    const [round] = await campaigns.listRounds(organiser.actor, campaignId);
    const [target] = (await campaigns.getCampaign(organiser.actor, campaignId)).targets;
    const visit = await ctx.services.inspections.visits.recordVisit(inspector.actor, campaignId, {
      roundId: round?.id ?? 0,
      targetId: target?.id ?? 0,
      visitedAt: MONDAY_10.toISOString(),
      note: '',
      answers: [
        { itemKey: '1', outcome: 'pass', note: '', evidence: [] },
        { itemKey: '2', outcome: 'fail', note: '东门垃圾桶未分类', evidence: [] },
      ],
    });
    visitId = visit.id;
    noticeNumber = visit.noticeNumber;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('prints the inspection opinion of a visit as PDF and Word, named by its number and target', async () => {
    const pdf = await get(sessions.inspector, `/visits/${visitId}/opinion.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    expect(savedName(pdf.headers['content-disposition'])).toBe(`检查意见书-${noticeNumber}-九江农贸市场.pdf`);
    if (HAS_PDFTOTEXT) {
      const text = pdfText(pdf.rawPayload);
      expect(text).toContain('九江农贸市场');
      expect(text).toContain('东门垃圾桶未分类');
    }

    const docx = await get(sessions.inspector, `/visits/${visitId}/opinion.docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml.document');
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect(await docxText(docx.rawPayload)).toContain(noticeNumber);
  });

  it('numbers the campaign report when first printed and keeps the number', async () => {
    const pdf = await get(sessions.inspector, `/campaigns/${campaignId}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    expect(savedName(pdf.headers['content-disposition'])).toBe(
      '专项检查情况报告-BG-2026-0001-文明城市创建暗访.pdf',
    );
    if (HAS_PDFTOTEXT) {
      const text = pdfText(pdf.rawPayload);
      expect(text).toContain('九江农贸市场');
      expect(text).toContain('BG-2026-0001');
    }

    const docx = await get(sessions.inspector, `/campaigns/${campaignId}/report.docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const text = await docxText(docx.rawPayload);
    expect(text).toContain('BG-2026-0001');
    expect(text).toContain('九江农贸市场');
    const numbered = await ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'campaign.reportNumber')
      .execute();
    expect(numbered).toHaveLength(1);
  });

  it('hides both documents of a covert campaign from the market’s grid worker until it is published', async () => {
    for (const url of [
      `/visits/${visitId}/opinion.pdf`,
      `/visits/${visitId}/opinion.docx`,
      `/campaigns/${campaignId}/report.pdf`,
      `/campaigns/${campaignId}/report.docx`,
    ])
      expect((await get(sessions.worker, url)).statusCode, url).toBe(404);

    const campaigns = ctx.services.inspections.campaigns;
    const running = await campaigns.getCampaign(organiser.actor, campaignId);
    const finished = await campaigns.finishCampaign(organiser.actor, campaignId, running.rowVersion);
    await campaigns.publishCampaign(organiser.actor, campaignId, finished.rowVersion);
    expect((await get(sessions.worker, `/visits/${visitId}/opinion.pdf`)).statusCode).toBe(200);
    expect((await get(sessions.worker, `/campaigns/${campaignId}/report.docx`)).statusCode).toBe(200);
  });

  it('answers 404 for a visit or campaign that does not exist', async () => {
    expect((await get(sessions.inspector, '/visits/999999/opinion.pdf')).statusCode).toBe(404);
    expect((await get(sessions.inspector, '/campaigns/999999/report.pdf')).statusCode).toBe(404);
  });
});
