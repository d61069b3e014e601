import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../src/shared/registry-validation.ts';
import {
  apiSession,
  launchBrowser,
  type RunningServer,
  SCREENSHOTS,
  screenshot,
  signedIn,
  startServer,
  stopAll,
} from './harness.ts';

const PHONE = { width: 390, height: 844 };
const SUMMARY = '端到端：楼上漏水致楼下天花板受损';
const APPLICANT = '欧阳晓明';
const RESPONDENT = '黎国华';
const TERMS = '被申请人于十日内赔偿申请人维修费人民币叁仟元整';
const WAIT = { timeout: 30_000 };
const FIRST17 = '44060519800101123';
const ID_NUMBER = `${FIRST17}${idNumberCheckChar(FIRST17)}`;

interface Summary {
  id: number;
  number: string;
  regionName: string;
  caseNumber: string | null;
  state: string;
}

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The demo town (with its 456 mediations) loads at first start: minutes on a busy machine.
  server = await startServer({ timeoutMs: 600_000 });
  browser = await launchBrowser();
}, 660_000);

afterAll(() => stopAll('mediation', server, browser));

/** Keeps a copy of the flow's screenshots where the team looks at them. */
async function shot(page: Page, name: string) {
  await screenshot(page, name);
  const dir = '/tmp/shots/MEDIATION';
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(dir, `${name}.png`));
}

/** The text of the row of the list showing `number`. */
function row(page: Page, number: string) {
  return page.locator('.ant-table-row', { hasText: number });
}

describe('a mediation in the console, from the desk to the agreement', () => {
  it('is opened, recorded and settled by 河清’s mediator, and the agreement prints in Chinese', async () => {
    const mediator = await signedIn(browser, server.url, 'hqtiaojie');
    const { page } = mediator;
    await page.goto('/mediation');
    await page.getByTestId('open-mediation').click();
    const dialog = page.getByRole('dialog');
    // The village is chosen by name from the mediator's own tree (河清 only), not typed as a code.
    await dialog.locator('#open-region').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '河清社区' }).first().click();
    await dialog.getByTestId('open-summary').fill(SUMMARY);
    await dialog.getByTestId('applicant-name').fill(APPLICANT);
    await dialog.getByLabel('身份证号').first().fill(ID_NUMBER);
    await dialog.getByLabel('联系电话').first().fill('13800138000');
    await dialog.getByTestId('respondent-name').fill(RESPONDENT);
    await shot(page, 'mediation-open-form');
    await dialog.getByRole('button', { name: '保存' }).click();

    // The new mediation opens in the drawer: the mediator sees the names, the ID number masked until revealed.
    const drawer = page.locator('.ant-drawer-section');
    await drawer.getByText(SUMMARY).waitFor(WAIT);
    await expect.poll(() => drawer.textContent()).toContain(APPLICANT);
    await expect.poll(() => drawer.textContent()).toContain(`440605********${ID_NUMBER.slice(-4)}`);
    await drawer.getByRole('button', { name: '查看' }).first().click();
    await expect.poll(() => drawer.textContent(), WAIT).toContain(ID_NUMBER);

    // A session with its transcript (the standard procedure).
    await drawer.getByTestId('action-session').click();
    const session = page.getByRole('dialog', { name: /记录调解/ });
    await session.getByLabel('地点').fill('河清社区人民调解室');
    await session.getByLabel('事项').fill('漏水原因和维修费用');
    await session.getByLabel('结果').fill('双方同意按维修报价赔偿');
    await session.getByLabel('笔录').fill('调解员：请申请人陈述漏水经过。申请人：……');
    await session.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => drawer.textContent(), WAIT).toContain('双方同意按维修报价赔偿');

    // Settled with an agreement.
    await drawer.getByTestId('action-settle').click();
    const settle = page.getByRole('dialog', { name: /调解成功/ });
    await settle.getByLabel('纠纷事实').fill('被申请人家中水管破裂，致申请人家天花板受损。');
    await settle.getByLabel('协议内容').fill(TERMS);
    await settle.getByLabel('履行方式').fill('银行转账');
    await settle.getByLabel('履行地点').fill('河清社区人民调解委员会');
    await settle.getByRole('button', { name: '保存' }).click();
    await drawer.getByTestId('agreement-pdf').waitFor(WAIT);
    await expect.poll(() => drawer.textContent()).toContain('调解成功');
    await shot(page, 'mediation-settled');

    // The PDF the console links to: Chinese text that pdftotext reads back, the village's committee on it.
    const download = page.waitForEvent('download');
    await drawer.getByTestId('agreement-pdf').click();
    const pdfPath = await (await download).path();
    const pdf = readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf })
      .toString()
      .replace(/\s+/g, '');
    expect(text).toContain('人民调解协议书');
    expect(text).toContain('河清社区人民调解委员会');
    expect(text).toContain(APPLICANT);
    expect(text).toContain(TERMS);

    // The register lists it as settled at 河清社区.
    await drawer.locator('.ant-drawer-close').click();
    const api = await apiSession(server.url, 'hqtiaojie');
    const list = await api.get<{ items: Summary[] }>('/mediations?state=settled&limit=5');
    const settled = list.items[0];
    if (!settled) throw new Error('the settled mediation is not listed');
    await page.reload();
    await expect.poll(() => row(page, settled.number).textContent(), WAIT).toContain('河清社区居委会');
    expect(await row(page, settled.number).textContent()).toContain('调解成功');
    expect(mediator.problems).toEqual([]);
    await mediator.context.close();
  });

  it('names the village, not the grid, for a mediation opened from a case, and masks parties for a grid worker', async () => {
    // The demo's case-linked mediation lies in one of 河清's grids: the register still names the village.
    const api = await apiSession(server.url, 'hqtiaojie');
    const open = await api.get<{ items: Summary[] }>('/mediations?state=open&limit=20');
    const linked = open.items.find((m) => m.caseNumber !== null);
    if (!linked) throw new Error('no open mediation from a case');
    expect(linked.regionName).toBe('河清社区居委会');

    const mediator = await signedIn(browser, server.url, 'hqtiaojie');
    await mediator.page.goto('/mediation');
    await expect
      .poll(() => row(mediator.page, linked.number).textContent(), WAIT)
      .toContain('河清社区居委会');
    await shot(mediator.page, 'mediation-list');

    // 河清's grid worker reads the register of the village but not who the parties are.
    const worker = await signedIn(browser, server.url, 'heqing');
    await worker.page.goto(`/mediation?id=${linked.id}`);
    const drawer = worker.page.locator('.ant-drawer-section');
    await drawer.getByText('当事人').first().waitFor(WAIT);
    await expect.poll(() => drawer.textContent(), WAIT).toContain('陈**');
    const shown = (await drawer.textContent()) ?? '';
    expect(shown).not.toContain('陈嘉俊');
    expect(shown).not.toContain('演示路1号');
    // No reveal buttons: a grid worker cannot unmask them.
    expect(await drawer.getByRole('button', { name: '查看', exact: true }).count()).toBe(0);
    // Nor the transcript, which quotes the parties.
    expect(shown).not.toContain('请双方陈述');
    // No agreement links, no actions: a grid worker does not mediate.
    expect(await drawer.getByTestId('action-session').count()).toBe(0);
    await shot(worker.page, 'mediation-masked-grid-worker');

    // And on a phone the register still opens.
    const phone = await signedIn(browser, server.url, 'hqtiaojie', PHONE);
    await phone.page.goto('/mediation');
    await row(phone.page, linked.number).waitFor(WAIT);
    await shot(phone.page, 'mediation-list-phone');
    expect([...mediator.problems, ...worker.problems, ...phone.problems]).toEqual([]);
  });
});
