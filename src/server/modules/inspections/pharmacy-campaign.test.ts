import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemAnswerInput } from '../../../shared/inspections.ts';
import { loadDemoChecklists } from '../../db/seed/demo-checklists.ts';
import {
  createApp,
  createUser,
  httpLogin,
  seedCampaign,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

/**
 * The district's pharmacy and clinic special inspection (seed 001), end to end: twelve pharmacies and clinics
 * taken from the registry, each visited with the seeded checklist, and one inspection opinion (检查意见书)
 * printed per visit, numbered, naming its unit and the problems found.
 */

// Monday 2026-11-23, 10:00 Beijing time.
const MONDAY_10 = new Date('2026-11-23T02:00:00Z');
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;
const pdfText = (pdf: Buffer) =>
  spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf })
    .stdout.toString('utf8')
    .replace(/\s+/g, '');

describe('a pharmacy special inspection of 12 pharmacies and clinics from the registry', () => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestContext({ now: MONDAY_10 });
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    app = await createApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('prints one opinion per visit, each naming its unit and its failed items', async () => {
    const [pharmacyTemplateId] = await loadDemoChecklists(ctx.services, TERRITORY.town);
    const registry = ctx.services.registry;
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const type = i % 3 === 2 ? 'clinic' : 'pharmacy';
      const name = `${type === 'clinic' ? '河清社区诊所' : '河清大药房'}${i + 1}号`;
      names.push(name);
      await registry.createRecord(systemActor(), 'organisation', {
        name,
        type,
        lon: 112.943 + (i % 6) * 0.002,
        lat: 22.85,
      } as never);
    }
    const leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    const inspector = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    const inspections = ctx.services.inspections;
    const draft = await seedCampaign(ctx, leader.actor, {
      templateId: pharmacyTemplateId ?? 0,
      regionCode: TERRITORY.town,
      name: '药店诊所专项检查',
      inspectorIds: [inspector.id],
    });
    const added = await inspections.campaigns.addTargets(leader.actor, draft.id, {
      source: 'organisationTypes',
      types: ['pharmacy', 'clinic'],
      regionCode: TERRITORY.town,
    });
    expect(added.added).toBe(12);
    const started = await inspections.campaigns.startCampaign(
      leader.actor,
      draft.id,
      added.campaign.rowVersion,
    );
    const [round] = await inspections.campaigns.listRounds(leader.actor, started.id);
    const checklist = await inspections.checklists.getVersionForScoring(pharmacyTemplateId ?? 0);

    // Every target visited: the pharmacies keep Rx and OTC apart, one in three clinics does not.
    const photo = await ctx.services.evidence.uploadEvidence(inspector.actor, await tinyJpeg());
    const visits = [];
    for (const [index, target] of started.targets.entries()) {
      const answers: ItemAnswerInput[] = checklist.items
        .filter((item) => item.siteTypes.length === 0 || item.siteTypes.includes(target.siteType))
        .map((item) => {
          const fails = index % 3 === 2 && !item.veto && item.rule === 'passFail';
          const value =
            item.rule === 'passFail'
              ? null
              : item.rule === 'graded'
                ? item.points
                : item.comparator === '<='
                  ? 0
                  : (item.threshold ?? 0);
          return {
            itemKey: item.key,
            outcome: fails ? 'fail' : 'pass',
            value,
            note: fails ? '现场发现问题' : '',
            evidence: fails || item.photo === 'always' ? [photo.id] : [],
          };
        });
      visits.push(
        await inspections.visits.recordVisit(inspector.actor, started.id, {
          roundId: round?.id ?? 0,
          targetId: target.id,
          visitedAt: MONDAY_10.toISOString(),
          note: '',
          answers,
        }),
      );
    }
    expect(new Set(visits.map((v) => v.noticeNumber)).size).toBe(12);

    const session = await httpLogin(app, inspector.username);
    for (const visit of visits) {
      const pdf = await app.inject({
        method: 'GET',
        url: `/api/v1/visits/${visit.id}/opinion.pdf`,
        headers: { cookie: session.cookie },
      });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toContain('application/pdf');
      if (!HAS_PDFTOTEXT) continue;
      const text = pdfText(pdf.rawPayload);
      expect(text).toContain('检查意见书');
      expect(text).toContain(visit.noticeNumber);
      expect(text).toContain(visit.targetName);
      // The clinics that mixed Rx and OTC are told so, with a deadline; the others have nothing to rectify.
      const failed = visit.answers.filter((a) => a.outcome === 'fail').length;
      expect(text.includes('本次检查未发现问题')).toBe(failed === 0);
    }
    expect(visits.map((v) => v.targetName).sort()).toEqual([...names].sort());
  });
});

/** The smallest JPEG sharp makes: a photo for the failed items. */
async function tinyJpeg(): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
}
