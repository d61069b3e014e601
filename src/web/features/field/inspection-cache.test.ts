import { describe, expect, it } from 'vitest';
import type { MyTarget } from '../../../shared/campaigns.ts';
import type { ChecklistDetail } from '../../../shared/checklists.ts';
import type { MyReinspection } from '../../../shared/visits.ts';
import { createInspectionCache, type KeyValueStore } from './inspection-cache.ts';
import { groupTargets, targetState } from './inspection-targets.ts';

function memoryStore(): KeyValueStore & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    set: async (key, value) => {
      map.set(key, structuredClone(value));
    },
    del: async (key) => {
      map.delete(key);
    },
    keys: async () => [...map.keys()],
  };
}

function target(
  id: number,
  templateId: number,
  extra: { due?: MyTarget['due']; visitedAt?: string; round?: number; campaign?: number } = {},
): MyTarget {
  return {
    campaign: {
      id: extra.campaign ?? 1,
      name: extra.campaign === 2 ? '药店诊所专项检查' : '文明城市实地测评',
      covert: false,
      templateId,
      signatureRequired: true,
    },
    round: { id: extra.round ?? 10, number: 1, kind: 'regular', opensOn: '2026-10-01', dueOn: '2026-10-15' },
    target: {
      id,
      kind: 'organisation',
      refId: id,
      name: `对象 ${id}`,
      siteType: 'market',
      regionCode: '440605121015001',
      address: null,
      lon: 112.95,
      lat: 22.85,
      sampled: false,
    },
    visitId: extra.visitedAt ? 1 : null,
    visitedAt: extra.visitedAt ?? null,
    due: extra.due ?? 'open',
  };
}

const template = (id: number) => ({ id, name: `检查表 ${id}`, sections: [] }) as unknown as ChecklistDetail;

describe('the inspections kept on the phone', () => {
  it('keeps each user’s list with the time it was loaded, and says which checklists it still lacks', async () => {
    const store = memoryStore();
    const cache = createInspectionCache(store, { now: () => new Date('2026-10-12T01:00:00Z') });
    const targets = [target(1, 7), target(2, 7), target(3, 8)];
    await cache.saveTargets(5, targets);
    await cache.saveTemplate(template(7));

    expect(await cache.loadTargets(5)).toEqual({ savedAt: '2026-10-12T01:00:00.000Z', items: targets });
    expect(await cache.loadTargets(6)).toBeNull();
    expect(await cache.missingTemplates(targets)).toEqual([8]);
    expect((await cache.loadTemplate(7))?.name).toBe('检查表 7');
  });

  it('drops a checklist once no kept list visits with it, and keeps one another user still needs', async () => {
    const store = memoryStore();
    const cache = createInspectionCache(store);
    await cache.saveTargets(5, [target(1, 7)]);
    await cache.saveTargets(6, [target(2, 8)]);
    await cache.saveTemplate(template(7));
    await cache.saveTemplate(template(8));

    await cache.saveTargets(5, [target(3, 9)]);
    expect(await cache.loadTemplate(7)).toBeNull();
    expect(await cache.loadTemplate(8)).not.toBeNull();
  });

  it('keeps the rectified items awaiting re-inspection per user', async () => {
    const cache = createInspectionCache(memoryStore());
    const item: MyReinspection = {
      visitId: 2,
      noticeNumber: 'JC-2026-000002',
      campaignId: 1,
      campaignName: '文明城市实地测评',
      targetName: '九江农贸市场',
      targetAddress: null,
      lon: 114.1,
      lat: 30.6,
      itemKey: '1.2',
      section: '集贸市场',
      question: '摊位不越线经营',
      rule: 'passFail',
      comparator: null,
      threshold: null,
      unit: null,
      guidance: '',
      inspectorName: '督查员甲',
      visitedAt: '2026-11-23T02:00:00.000Z',
      note: '摊位越线',
      evidence: ['a'.repeat(64)],
      caseId: 4,
      caseNumber: 'C4',
      reworkCount: 0,
      handledAt: '2026-11-24T02:00:00.000Z',
      handledNote: '已整改',
    };
    await cache.saveReinspections(5, [item]);
    expect((await cache.loadReinspections(5))?.items).toEqual([item]);
    expect(await cache.loadReinspections(6)).toBeNull();
  });
});

describe('the targets list', () => {
  it('groups by campaign and round, those to visit first, and tells a late visit from one on time', () => {
    const groups = groupTargets([
      target(1, 7, { due: 'done', visitedAt: '2026-10-14T10:00:00+08:00' }),
      target(2, 7, { due: 'overdue' }),
      target(3, 8, { campaign: 2, round: 20 }),
      target(4, 7),
    ]);
    expect(groups.map((g) => [g.campaign.name, g.targets.map((t) => t.target.id)])).toEqual([
      ['文明城市实地测评', [2, 4, 1]],
      ['药店诊所专项检查', [3]],
    ]);
    expect(targetState(target(1, 7, { due: 'done', visitedAt: '2026-10-14T10:00:00+08:00' }))).toBe(
      'visited',
    );
    expect(targetState(target(1, 7, { due: 'done', visitedAt: '2026-10-20T10:00:00+08:00' }))).toBe('late');
    expect(targetState(target(1, 7, { due: 'overdue' }))).toBe('overdue');
  });
});
