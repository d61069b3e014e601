import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  type CampaignReportData,
  type InspectionOpinionData,
  type OpinionFinding,
  renderCampaignReportDocx,
  renderCampaignReportPdf,
  renderOpinionDocx,
  renderOpinionPdf,
} from './index.ts';

/** Set INSPECTION_DOCS_OUT=/tmp/docs to keep the generated files and look at them. */
const OUT = process.env.INSPECTION_DOCS_OUT;
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;

function keep(name: string, bytes: Buffer): void {
  if (!OUT) return;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), bytes);
}

/** The text as a reader sees it, whitespace left out: table cells wrap their lines anywhere. */
function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** Reading order by default; `layout` keeps each table row on its line, to check the order of rows. */
function pdfText(pdf: Buffer, layout = false): string {
  const run = spawnSync('pdftotext', ['-enc', 'UTF-8', ...(layout ? ['-layout'] : []), '-', '-'], {
    input: pdf,
  });
  if (run.status !== 0) throw new Error(`pdftotext failed: ${run.stderr}`);
  return compact(run.stdout.toString('utf8'));
}

async function docxText(docx: Buffer): Promise<string> {
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')?.async('string');
  const runs = [...(xml ?? '').matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1] ?? '');
  const text = runs.join('').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  return compact(text);
}

const at = (iso: string) => new Date(`${iso}+08:00`);

const FINDINGS: OpinionFinding[] = [
  {
    key: '1.2',
    section: '购进管理',
    question: '药品购进票据齐全，票、账、货相符',
    judgingRule: '抽查 5 种药品，任一品种无合法购进票据即不符合',
    points: 10,
    earned: 0,
    note: '抽查 5 种药品，其中 2 种无购进发票',
    immediate: false,
    veto: false,
    deadline: at('2026-05-19T17:30:00'),
    caseNumber: '2026-000451',
  },
  {
    key: '2.1',
    section: '储存条件',
    question: '每日记录温湿度（上、下午各一次）',
    judgingRule: null,
    points: 10,
    earned: 0,
    note: '5月8日至11日无温湿度记录',
    immediate: false,
    veto: false,
    deadline: at('2026-05-19T17:30:00'),
    caseNumber: '2026-000452',
  },
  {
    key: '3.2',
    section: '陈列管理',
    question: '处方药与非处方药分区陈列',
    judgingRule: '处方药、非处方药混放即不符合',
    points: 5,
    earned: 0,
    note: '处方药与非处方药混放于同一货架',
    immediate: true,
    veto: false,
    deadline: at('2026-05-12T17:30:00'),
    caseNumber: '2026-000453',
  },
];

function opinion(overrides: Partial<InspectionOpinionData> = {}): InspectionOpinionData {
  return {
    number: 'JC-2026-000123',
    areaName: 'XX镇',
    office: 'XX镇综合治理办公室',
    campaignName: '2026年5月药店诊所专项检查',
    covert: false,
    checklistName: '药店诊所专项检查表（第2版）',
    unit: { name: '康宁大药房（人民路店）', address: 'XX镇人民路 88 号', typeLabel: '药店' },
    visitedAt: at('2026-05-12T10:20:00'),
    place: 'XX镇人民路 88 号 营业大厅及仓库',
    inspectors: ['王建国', '李芳'],
    findings: FINDINGS,
    // 100 points in all, 10 not applicable: 65 / 90.
    score: { earned: 65, applicable: 90, vetoedBy: null },
    personInCharge: '赵敏',
    signaturePng: null,
    issuedAt: at('2026-05-12T16:00:00'),
    ...overrides,
  };
}

const VETO: OpinionFinding = {
  key: '4.1',
  section: '人员资质',
  question: '营业时间执业药师在岗',
  judgingRule: '检查时执业药师不在岗且无请假登记即不符合',
  points: 10,
  earned: 0,
  note: '执业药师不在岗，无请假登记',
  immediate: false,
  veto: true,
  deadline: at('2026-05-15T17:30:00'),
  caseNumber: '2026-000454',
};

function vetoedOpinion(signaturePng: Uint8Array): InspectionOpinionData {
  return opinion({
    number: 'JC-2026-000124',
    unit: { name: '仁心诊所', address: 'XX镇新桥村 3 组', typeLabel: '诊所' },
    findings: [VETO, FINDINGS[0] as OpinionFinding, FINDINGS[2] as OpinionFinding],
    score: {
      earned: 65,
      applicable: 90,
      vetoedBy: { key: '4.1', section: '人员资质', question: VETO.question },
    },
    signaturePng,
  });
}

async function signaturePng(): Promise<Buffer> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><path d="M10 70 C 60 10, 90 90, 140 40 ' +
    'S 220 20, 290 60" stroke="#1a237e" stroke-width="5" fill="none"/></svg>';
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('inspection opinion (检查意见书)', () => {
  const expected = [
    'XX镇专项检查检查意见书',
    '编号：JC-2026-000123',
    '康宁大药房（人民路店）',
    'XX镇人民路88号',
    '王建国、李芳',
    ...FINDINGS.map((f) => compact(f.question)),
    '判定口径：抽查5种药品，任一品种无合法购进票据即不符合',
    '【立行立改】3.2',
    '2026年5月12日17:30',
    '2026年5月19日17:30',
    '2026-000453',
    '65/90',
    '72.22%',
    '第3项为立行立改问题',
    '检查人员签名',
    '被检查单位负责人签名',
    'XX镇综合治理办公室（盖章）',
  ];

  it.skipIf(!HAS_PDFTOTEXT)('prints every failed item, its deadline and the score in the PDF', async () => {
    const pdf = await renderOpinionPdf(opinion());
    keep('opinion.pdf', pdf);
    const text = pdfText(pdf);
    for (const phrase of expected) expect(text).toContain(phrase);
    expect(text).toMatch(/第1页共\d页/);
  });

  it('embeds a subset of the Chinese font, so the PDF reads the same without system fonts', async () => {
    const pdf = await renderOpinionPdf(opinion());
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(raw).toContain('/FontFile2');
    expect(pdf.length).toBeLessThan(200_000);
  });

  it('writes the same text into the .docx', async () => {
    const docx = await renderOpinionDocx(opinion());
    keep('opinion.docx', docx);
    const text = await docxText(docx);
    for (const phrase of expected) expect(text).toContain(phrase);
  });

  it('shows a veto: score 0 beside the raw score and the item that vetoed it, and the drawn signature', async () => {
    const png = await signaturePng();
    const data = vetoedOpinion(png);
    const pdf = await renderOpinionPdf(data);
    const docx = await renderOpinionDocx(data);
    keep('opinion-vetoed.pdf', pdf);
    keep('opinion-vetoed.docx', docx);
    const vetoTexts = [
      '0/90',
      '0.00%',
      '一票否决（原始得分65/90，72.22%）',
      '否决项',
      '【一票否决】4.1',
      '营业时间执业药师在岗',
    ];
    const texts = [await docxText(docx), ...(HAS_PDFTOTEXT ? [pdfText(pdf)] : [])];
    for (const text of texts) for (const phrase of vetoTexts) expect(text).toContain(phrase);
    expect(pdf.toString('latin1')).toContain('/Subtype /Image');
    const media = Object.keys((await JSZip.loadAsync(docx)).files).filter((name) =>
      name.startsWith('word/media/'),
    );
    expect(media).toHaveLength(1);
  });

  it('says so when nothing failed', async () => {
    const docx = await renderOpinionDocx(
      opinion({ findings: [], score: { earned: 90, applicable: 90, vetoedBy: null } }),
    );
    const text = await docxText(docx);
    expect(text).toContain('本次检查未发现问题');
    expect(text).toContain('100.00%');
  });
});

function report(): CampaignReportData {
  const villages = ['东风村', '人民路社区', '新桥村'];
  const targets = Array.from({ length: 12 }, (_, i) => ({
    name: `${['康宁', '仁心', '百姓', '同济'][i % 4]}${i < 8 ? '大药房' : '诊所'}${i + 1}号店`,
    typeLabel: i < 8 ? '药店' : '诊所',
    village: villages[i % 3] as string,
    visitedAt: i === 11 ? null : at(`2026-05-${String(10 + i).padStart(2, '0')}T10:00:00`),
    late: i === 10,
    earned: 90 - i * 3,
    applicable: 90,
    vetoedBy: i === 4 ? '4.1 营业时间执业药师在岗' : null,
    failedItems: i % 4,
  }));
  return {
    number: 'BG-2026-0007',
    campaignName: '2026年5月药店诊所专项检查',
    areaName: 'XX镇',
    organiser: 'XX镇综合治理办公室',
    covert: false,
    checklistName: '药店诊所专项检查表（第2版）',
    startsOn: at('2026-05-06T00:00:00'),
    endsOn: at('2026-05-29T00:00:00'),
    counts: { targets: 12, visited: 11, late: 1, missed: 1 },
    averageRate: 0.7525,
    targets,
    items: [
      {
        key: '1.2',
        section: '购进管理',
        question: '药品购进票据齐全',
        veto: false,
        inspected: 11,
        failed: 3,
      },
      { key: '2.1', section: '储存条件', question: '每日记录温湿度', veto: false, inspected: 11, failed: 7 },
      {
        key: '3.2',
        section: '陈列管理',
        question: '处方药与非处方药分区陈列',
        veto: false,
        inspected: 8,
        failed: 5,
      },
      {
        key: '4.1',
        section: '人员资质',
        question: '营业时间执业药师在岗',
        veto: true,
        inspected: 11,
        failed: 1,
      },
      { key: '5.1', section: '效期管理', question: '无过期药品', veto: false, inspected: 11, failed: 0 },
    ],
    villages: villages.map((name, i) => ({
      name,
      targets: 4,
      visited: i === 2 ? 3 : 4,
      averageRate: 0.8 - i * 0.05,
      failedItems: 5 + i,
      vetoed: i === 1 ? 1 : 0,
    })),
    rectification: { open: 3, overdue: 1, doneOnTime: 11, doneLate: 2 },
    issuedAt: at('2026-06-02T09:00:00'),
  };
}

describe('campaign report (专项检查情况报告)', () => {
  const expected = [
    '专项检查情况报告',
    '（2026年5月药店诊所专项检查）',
    '编号：BG-2026-0007',
    '2026年5月6日至2026年5月29日',
    '明查（提前告知）',
    '共确定检查对象12个，已检查11个（其中逾期检查1个），未检查1个；平均得分率75.25%',
    '一票否决1个',
    '东风村',
    '人民路社区',
    '按期整改完成11件，逾期整改完成2件，正在整改3件（其中已超期1件）',
    'XX镇综合治理办公室（盖章）',
    '2026年6月2日',
  ];

  /** Failure rates 7/11, 5/8, 3/11, 1/11: the item failed most often comes first, one never failed is left out. */
  function expectOrder(text: string): void {
    const positions = ['每日记录温湿度', '处方药与非处方药分区陈列', '药品购进票据齐全'].map((q) =>
      text.indexOf(q),
    );
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('63.64%');
    expect(text).not.toContain('无过期药品');
    // Targets best first: 90/90 before the vetoed one (also listed above, under 一票否决), not visited last.
    expect(text.indexOf('康宁大药房1号店')).toBeLessThan(text.lastIndexOf('康宁大药房5号店'));
    expect(text.indexOf('同济诊所12号店')).toBeGreaterThan(text.indexOf('百姓诊所11号店'));
    expect(text).toContain('未检查');
  }

  it.skipIf(!HAS_PDFTOTEXT)('prints the figures, the tables and the seal line in the PDF', async () => {
    const pdf = await renderCampaignReportPdf(report());
    keep('campaign-report.pdf', pdf);
    const text = pdfText(pdf);
    for (const phrase of expected) expect(text).toContain(phrase);
    expectOrder(pdfText(pdf, true));
  });

  it('writes the same into the .docx', async () => {
    const docx = await renderCampaignReportDocx(report());
    keep('campaign-report.docx', docx);
    const text = await docxText(docx);
    for (const phrase of expected) expect(text).toContain(phrase);
    expectOrder(text);
  });
});
