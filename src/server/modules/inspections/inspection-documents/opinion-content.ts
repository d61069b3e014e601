/**
 * What the inspection opinion (检查意见书) says, in the order an office files it: the inspected unit and the
 * visit, the problems found with their deadlines and cases, the score, what must be rectified by when, and
 * the lines to sign on.
 */
import {
  type Block,
  type Cell,
  DEFAULT_TIME_ZONE,
  formatDate,
  formatDateTime,
  formatPoints,
  formatRate,
  type PrintDocument,
  pngImage,
  scoreRate,
} from './layout.ts';
import type { InspectionOpinionData, OpinionFinding } from './types.ts';

export function opinionTitle(data: Pick<InspectionOpinionData, 'areaName' | 'covert'>): string {
  return `${data.areaName} ${data.covert ? '暗访检查' : '专项检查'} 检查意见书`;
}

export function opinionDocument(data: InspectionOpinionData): PrintDocument {
  const tz = data.timeZone ?? DEFAULT_TIME_ZONE;
  const title = opinionTitle(data);
  const kind = data.covert ? '暗访检查' : '专项检查';
  return {
    title,
    number: data.number,
    blocks: [
      { kind: 'title', text: title },
      { kind: 'number', text: `编号：${data.number}` },
      { kind: 'table', widths: [1.4, 3, 1.4, 2.2], rows: visitRows(data, tz) },
      {
        kind: 'paragraph',
        indent: true,
        text:
          `${data.unit.name}：${formatDate(data.visitedAt, tz)}，${data.office}检查组依据《${data.checklistName}》` +
          `对你单位开展${kind}，现将检查意见告知如下。`,
      },
      { kind: 'heading', text: '一、检查发现的问题' },
      ...findingBlocks(data.findings, tz),
      { kind: 'heading', text: '二、检查得分' },
      { kind: 'table', widths: [1.4, 6.6], rows: scoreRows(data) },
      { kind: 'heading', text: '三、整改要求' },
      ...requirementParagraphs(data, tz),
      {
        kind: 'signatures',
        entries: [
          { label: '检查人员签名' },
          {
            label: '被检查单位负责人签名',
            ...(data.personInCharge ? { name: data.personInCharge } : {}),
            ...(data.signaturePng
              ? { image: pngImage(data.signaturePng), date: formatDate(data.visitedAt, tz) }
              : {}),
          },
        ],
      },
      { kind: 'seal', office: data.office, date: formatDate(data.issuedAt, tz) },
    ],
  };
}

function label(text: string): Cell {
  return { text, bold: true, shade: true, align: 'center' };
}

function visitRows(data: InspectionOpinionData, tz: string): Cell[][] {
  return [
    [label('被检查单位'), { text: data.unit.name }, label('单位类型'), { text: data.unit.typeLabel }],
    [label('单位地址'), { text: data.unit.address ?? '—', span: 3 }],
    [
      label('检查时间'),
      { text: formatDateTime(data.visitedAt, tz) },
      label('现场负责人'),
      { text: data.personInCharge ?? '—' },
    ],
    [label('检查地点'), { text: data.place, span: 3 }],
    [label('检查人员'), { text: data.inspectors.join('、'), span: 3 }],
    [label('检查任务'), { text: `${data.campaignName}${data.covert ? '（暗访）' : ''}`, span: 3 }],
  ];
}

function marks(finding: OpinionFinding): string {
  return `${finding.veto ? '【一票否决】' : ''}${finding.immediate ? '【立行立改】' : ''}`;
}

function findingBlocks(findings: OpinionFinding[], tz: string): Block[] {
  if (findings.length === 0) return [{ kind: 'paragraph', indent: true, text: '本次检查未发现问题。' }];
  return [
    {
      kind: 'paragraph',
      indent: true,
      text: `本次检查共发现问题 ${findings.length} 项，具体如下：`,
    },
    {
      kind: 'table',
      widths: [0.8, 3.2, 1.2, 2.1, 1.7, 1.7],
      header: ['序号', '检查项目', '扣分/分值', '检查情况', '整改期限', '案件编号'],
      rows: findings.map((f, i) => [
        { text: String(i + 1), align: 'center' },
        {
          text: `${marks(f)}${f.key} ${f.section} — ${f.question}`,
          ...(f.judgingRule ? { note: `判定口径：${f.judgingRule}` } : {}),
        },
        { text: `${formatPoints(f.points - f.earned)} / ${formatPoints(f.points)}`, align: 'center' },
        { text: f.note || '—' },
        {
          text: f.deadline ? formatDateTime(f.deadline, tz) : '—',
          ...(f.immediate ? { note: '立行立改' } : {}),
        },
        { text: f.caseNumber ?? '—', align: 'center' },
      ]),
    },
  ];
}

function scoreRows(data: InspectionOpinionData): Cell[][] {
  const { earned, applicable, vetoedBy } = data.score;
  const rate = scoreRate(earned, applicable, vetoedBy !== null);
  const raw = `${formatPoints(earned)} / ${formatPoints(applicable)}`;
  if (!vetoedBy) {
    return [
      [label('得分 / 应得分'), { text: raw }],
      [label('得分率'), { text: formatRate(rate) }],
    ];
  }
  const rawRate = formatRate(scoreRate(earned, applicable, false));
  return [
    [label('得分 / 应得分'), { text: `0 / ${formatPoints(applicable)}` }],
    [label('得分率'), { text: `${formatRate(rate)}　一票否决（原始得分 ${raw}，${rawRate}）` }],
    [label('否决项'), { text: `${vetoedBy.key} ${vetoedBy.section} — ${vetoedBy.question}` }],
  ];
}

function requirementParagraphs(data: InspectionOpinionData, tz: string): Block[] {
  const { findings } = data;
  if (findings.length === 0) {
    return [{ kind: 'paragraph', indent: true, text: '请你单位继续保持，做好日常管理。' }];
  }
  const immediate = findings.flatMap((f, i) => (f.immediate ? [{ f, n: i + 1 }] : []));
  const lines = [
    `请你单位对上述问题限期整改，在各项“整改期限”前整改到位，并将整改情况书面报${data.office}。`,
  ];
  if (immediate.length > 0) {
    const numbers = immediate.map(({ n }) => `第 ${n} 项`).join('、');
    const due = immediate[0]?.f.deadline;
    lines.push(
      `${numbers}为立行立改问题，须立即整改${due ? `，于${formatDateTime(due, tz)}前整改到位` : ''}。`,
    );
  }
  lines.push('检查组将适时开展“回头看”复查；逾期未整改或整改不到位的，将予以通报并依规处理。');
  return lines.map((line, i) => ({ kind: 'paragraph', indent: true, text: `${i + 1}. ${line}` }));
}
