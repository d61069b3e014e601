import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDetail, CampaignPage, CampaignRound, TargetsAdded } from '../src/shared/campaigns.ts';
import type { ChecklistDetail, ChecklistSummary } from '../src/shared/checklists.ts';
import {
  apiSession,
  interiorPoint,
  launchBrowser,
  type RunningServer,
  screenshot,
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

interface GridFeature {
  geometry: { type: string; coordinates: unknown };
  properties: { code: string; name: string };
}

type Api = Awaited<ReturnType<typeof apiSession>>;

let server: RunningServer;
let browser: Browser;
let campaignName = '';

/**
 * The demo town's finished covert campaign; when the demo has none, one made here the way inspectors make it:
 * three targets visited with the civilised-city checklist, the first failing its veto item (负面清单).
 */
async function finishedCovertCampaign(api: Api): Promise<string> {
  const seeded = await api.get<CampaignPage>('/campaigns?status=finished&covert=true');
  const found = seeded.items[0];
  if (found) return found.name;

  const templates = await api.get<ChecklistSummary[]>('/checklists?status=active');
  const template = templates.find((tpl) => tpl.vetoCount > 0);
  if (!template?.activeVersionId) throw new Error('the demo town has no active checklist with a veto item');
  const checklist = await api.get<ChecklistDetail>(`/checklists/${template.activeVersionId}`);
  const items = checklist.sections.flatMap((section) => section.items);
  const veto = items.find((item) => item.veto);
  if (!veto) throw new Error('no veto item');

  const grids = await api.get<{ features: GridFeature[] }>('/grids/geojson?level=leaf');
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const name = 'E2E 文明城市暗访检查';
  let campaign = await api.post<CampaignDetail>('/campaigns', {
    name,
    templateId: template.activeVersionId,
    regionCode: '440605121',
    covert: true,
    startsOn: today,
    endsOn: later,
    recurrence: 'once',
    rectifyLimit: { amount: 5, unit: 'workingDays' },
  });
  const sites = [
    ['E2E 背街小巷', 'backStreet'],
    ['E2E 农贸市场', 'market'],
    ['E2E 老旧小区', 'residentialEstate'],
  ] as const;
  for (const [index, [target, siteType]] of sites.entries()) {
    const grid = grids.features[index * 10];
    if (!grid) throw new Error('the demo town has fewer grids than expected');
    const [lon, lat] = interiorPoint(grid.geometry);
    campaign = (
      await api.post<TargetsAdded>(`/campaigns/${campaign.id}/targets/manual`, {
        name: target,
        siteType,
        lon,
        lat,
      })
    ).campaign;
  }
  campaign = await api.post<CampaignDetail>(`/campaigns/${campaign.id}/start`, {
    rowVersion: campaign.rowVersion,
  });
  const [round] = await api.get<CampaignRound[]>(`/campaigns/${campaign.id}/rounds`);
  if (!round) throw new Error('the campaign has no round');
  const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c0392b' } })
    .jpeg()
    .toBuffer();
  for (const target of campaign.targets) {
    const vetoed = target.siteType === 'backStreet';
    const answers = [];
    for (const item of items) {
      if (item.siteTypes.length && !item.siteTypes.includes(target.siteType)) {
        answers.push({ itemKey: item.key, outcome: 'na' });
        continue;
      }
      const fail = vetoed && item.key === veto.key;
      const value = item.rule === 'graded' ? item.points : item.rule === 'count' ? item.threshold : null;
      const evidence =
        (fail && item.photo !== 'never') || item.photo === 'always' ? [await api.upload(photo)] : [];
      answers.push({ itemKey: item.key, outcome: fail ? 'fail' : 'pass', value, evidence });
    }
    await api.post(`/campaigns/${campaign.id}/visits`, {
      roundId: round.id,
      targetId: target.id,
      visitedAt: new Date().toISOString(),
      personInCharge: '张三',
      answers,
    });
  }
  const current = await api.get<CampaignDetail>(`/campaigns/${campaign.id}`);
  await api.post(`/campaigns/${campaign.id}/finish`, { rowVersion: current.rowVersion });
  return name;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  campaignName = await finishedCovertCampaign(await apiSession(server.url, 'admin'));
});

afterAll(() => stopAll('inspections', server, browser));

describe('inspections console', () => {
  it('shows a covert campaign’s results with its veto, and a visit’s inspection opinion as PDF', async () => {
    const { context, page, problems } = await signedIn(browser, server.url, 'admin', {
      width: 1366,
      height: 900,
    });
    await page.getByRole('menuitem').filter({ hasText: '督查检查' }).click();
    await page.waitForURL('**/inspections/campaigns');
    const row = page.getByRole('row').filter({ hasText: campaignName });
    await expect.poll(() => row.getByTestId('covert-tag').textContent()).toMatch(/^暗访/);
    await row.click();

    // A finished campaign opens on its results.
    const results = page.getByTestId('results-targets');
    await results.waitFor();
    const vetoed = results.getByTestId('vetoed-rate').first();
    await expect.poll(() => vetoed.textContent()).toMatch(/^0（一票否决，原始 \d+\.\d{2}%）否决项 \S+/);
    // Another target's score rate, two decimals with its word.
    const rated = results.locator('[data-testid^="rate-"]').first();
    await expect.poll(() => rated.textContent()).toMatch(/^\d+\.\d{2}% (良好|一般|较差)$/);
    await screenshot(page, 'inspections-results');

    await vetoed.locator('xpath=ancestor::tr').getByRole('link').first().click();
    await page.waitForURL('**/inspections/visits/*');
    await expect.poll(() => page.getByTestId('visit-score').textContent()).toContain('一票否决');
    await expect.poll(() => page.getByTestId('veto-badge').count()).toBeGreaterThan(0);
    await screenshot(page, 'inspections-visit');

    const href = await page.getByTestId('opinion-pdf').getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/visits\/\d+\//);
    const pdf = await page.request.get(href ?? '');
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    expect(problems).toEqual([]);
    await context.close();
  });
});
