/**
 * What the campaign report (专项检查情况报告) says: the campaign, the overall figures, vetoed targets, the score
 * of every target, the items most often failed, the villages compared, and how rectification stands.
 */
import {
  type Block,
  type Cell,
  DEFAULT_TIME_ZONE,
  formatDate,
  formatPoints,
  formatRate,
  type PrintDocument,
  scoreRate,
} from './layout.ts';
import type { CampaignReportData, ReportItem, ReportTarget } from './types.ts';

export function campaignReportTitle(data: Pick<CampaignReportData, 'covert'>): string {
  return data.covert ? '暗访检查情况报告' : '专项检查情况报告';
}

export function campaignReportDocument(data: CampaignReportData): PrintDocument {
  const tz = data.timeZone ?? DEFAULT_TIME_ZONE;
  const title = campaignReportTitle(data);
  return {
    title,
    number: data.number,
    blocks: [
      { kind: 'title', text: title, subtitle: `（${data.campaignName}）` },
      { kind: 'number', text: `编号：${data.number}` },
      { kind: 'table', widths: [1.4, 2.6, 1.4, 2.6], rows: campaignRows(data, tz) },
      { kind: 'heading', text: '一、总体情况' },
      { kind: 'paragraph', indent: true, text: summary(data) },
      { kind: 'heading', text: '二、一票否决情况' },
      ...vetoBlocks(data.targets),
      { kind: 'heading', text: '三、检查对象得分情况' },
      targetTable(data.targets, tz),
      { kind: 'heading', text: '四、问题项统计（按不合格率排列）' },
      ...itemBlocks(data.items),
      { kind: 'heading', text: '五、各村（社区）情况' },
      {
        kind: 'table',
        widths: [2.4, 1.1, 1.1, 1.5, 1.1, 1.1],
        header: ['村（社区）', '检查对象', '已检查', '平均得分率', '问题数', '一票否决'],
        rows: data.villages.map((v) => [
          { text: v.name },
          ...[v.targets, v.visited].map(centered),
          { text: formatRate(v.averageRate), align: 'center' as const },
          ...[v.failedItems, v.vetoed].map(centered),
        ]),
      },
      { kind: 'heading', text: '六、整改进展' },
      ...rectificationBlocks(data.rectification),
      { kind: 'signatures', entries: [{ label: '报告人' }, { label: '审核人' }] },
      { kind: 'seal', office: data.organiser, date: formatDate(data.issuedAt, tz) },
    ],
  };
}

function centered(value: number): Cell {
  return { text: String(value), align: 'center' };
}

function label(text: string): Cell {
  return { text, bold: true, shade: true, align: 'center' };
}

function campaignRows(data: CampaignReportData, tz: string): Cell[][] {
  return [
    [label('检查任务'), { text: data.campaignName, span: 3 }],
    [label('检查区域'), { text: data.areaName }, label('组织单位'), { text: data.organiser }],
    [
      label('检查时间'),
      { text: `${formatDate(data.startsOn, tz)}至${formatDate(data.endsOn, tz)}` },
      label('检查方式'),
      { text: data.covert ? '暗访（不预先告知）' : '明查（提前告知）' },
    ],
    [label('检查标准'), { text: `《${data.checklistName}》`, span: 3 }],
  ];
}

function targetRate(t: ReportTarget): number | null {
  return t.visitedAt ? scoreRate(t.earned, t.applicable, t.vetoedBy !== null) : null;
}

function summary(data: CampaignReportData): string {
  const { targets, visited, late, missed } = data.counts;
  const vetoed = data.targets.filter((t) => t.vetoedBy !== null).length;
  const problems = data.targets.reduce((sum, t) => sum + t.failedItems, 0);
  return (
    `本次检查共确定检查对象 ${targets} 个，已检查 ${visited} 个（其中逾期检查 ${late} 个），` +
    `未检查 ${missed} 个；平均得分率 ${formatRate(data.averageRate)}；共发现问题 ${problems} 项；` +
    `一票否决 ${vetoed} 个。`
  );
}

function vetoBlocks(targets: ReportTarget[]): Block[] {
  const vetoed = targets.filter((t) => t.vetoedBy !== null);
  if (vetoed.length === 0) return [{ kind: 'paragraph', indent: true, text: '本次检查无一票否决情况。' }];
  return [
    {
      kind: 'table',
      widths: [0.8, 2.4, 1.6, 2.6, 1.4],
      header: ['序号', '检查对象', '村（社区）', '否决项', '原始得分率'],
      rows: vetoed.map((t, i) => [
        centered(i + 1),
        { text: t.name },
        { text: t.village },
        { text: t.vetoedBy ?? '' },
        { text: formatRate(scoreRate(t.earned, t.applicable, false)), align: 'center' },
      ]),
    },
  ];
}

/** Best first; targets not visited last, in the order given. */
function byRate(targets: ReportTarget[]): ReportTarget[] {
  return [...targets].sort((a, b) => (targetRate(b) ?? -1) - (targetRate(a) ?? -1));
}

function remark(t: ReportTarget): string {
  if (!t.visitedAt) return '未检查';
  return [t.vetoedBy ? '一票否决' : '', t.late ? '逾期检查' : ''].filter(Boolean).join('、');
}

function targetTable(targets: ReportTarget[], tz: string): Block {
  return {
    kind: 'table',
    widths: [0.7, 2.2, 1.6, 1.6, 1.7, 1.4, 1.2, 1.0],
    header: ['序号', '检查对象', '类型', '村（社区）', '检查时间', '得分/应得分', '得分率', '备注'],
    rows: byRate(targets).map((t, i) => [
      centered(i + 1),
      { text: t.name },
      { text: t.typeLabel },
      { text: t.village },
      { text: t.visitedAt ? formatDate(t.visitedAt, tz) : '—' },
      {
        text: t.visitedAt ? `${formatPoints(t.earned)} / ${formatPoints(t.applicable)}` : '—',
        align: 'center',
      },
      { text: formatRate(targetRate(t)), align: 'center', bold: t.vetoedBy !== null },
      { text: remark(t) },
    ]),
  };
}

function failureRate(item: ReportItem): number {
  return item.inspected > 0 ? item.failed / item.inspected : 0;
}

function itemBlocks(items: ReportItem[]): Block[] {
  const failing = items
    .filter((i) => i.failed > 0)
    .sort((a, b) => failureRate(b) - failureRate(a) || b.failed - a.failed);
  if (failing.length === 0) return [{ kind: 'paragraph', indent: true, text: '本次检查各项均符合要求。' }];
  return [
    {
      kind: 'table',
      widths: [0.8, 4.6, 1, 1, 1.2],
      header: ['序号', '检查项目', '检查数', '不合格数', '不合格率'],
      rows: failing.map((item, i) => [
        centered(i + 1),
        { text: `${item.veto ? '【一票否决】' : ''}${item.key} ${item.section} — ${item.question}` },
        centered(item.inspected),
        centered(item.failed),
        { text: formatRate(failureRate(item)), align: 'center' },
      ]),
    },
  ];
}

function rectificationBlocks(r: CampaignReportData['rectification']): Block[] {
  const total = r.open + r.doneOnTime + r.doneLate;
  return [
    {
      kind: 'paragraph',
      indent: true,
      text:
        `检查发现的问题已转为整改案件 ${total} 件：按期整改完成 ${r.doneOnTime} 件，逾期整改完成 ${r.doneLate} 件，` +
        `正在整改 ${r.open} 件（其中已超期 ${r.overdue} 件）。请各责任单位对未完成的问题抓紧整改，检查组将开展“回头看”复查。`,
    },
    {
      kind: 'table',
      widths: [1, 1, 1, 1, 1],
      header: ['整改案件', '按期完成', '逾期完成', '正在整改', '其中已超期'],
      rows: [[total, r.doneOnTime, r.doneLate, r.open, r.overdue].map(centered)],
    },
  ];
}
