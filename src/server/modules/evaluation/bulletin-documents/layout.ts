/**
 * What a bulletin's documents say, built once as neutral blocks from the stored bulletin alone (no database, no
 * clock), so the Word file, the PDF and the workbook carry the same words and numbers, and a published
 * bulletin's files are the same every time they are made.
 */
import type { Bulletin, BulletinTableRow, BulletinUnitCases } from '../../../../shared/bulletins.ts';
import { bulletinNumberText } from '../../../../shared/bulletins.ts';
import { INDICATORS } from '../../../../shared/indicators.ts';
import { changeText, chineseDate, percentText, scoreText } from '../bulletin-text.ts';

export type Block =
  /** The masthead: title (red), number, issuing office and date over a red rule (GB/T 9704 style). */
  | { kind: 'masthead'; title: string; number: string; office: string; date: string; draft: string | null }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  /** Relative column widths; cells are plain text. The first `leftColumns` columns are left-aligned. */
  | {
      kind: 'table';
      title: string;
      widths: number[];
      header: string[];
      rows: string[][];
      leftColumns: number[];
    }
  | { kind: 'note'; text: string };

export interface BulletinDocument {
  /** Chinese prose is justified with a two-character indent; English is set ragged-right. */
  language: 'zh' | 'en';
  title: string;
  number: string;
  /** The instant the files carry as their dates: the publishing instant, or a draft's last change. */
  stamp: Date;
  blocks: Block[];
}

type Labels = typeof ZH;

const ZH = {
  draft: '草稿（未发布）',
  overview: '总体情况',
  units: { village: '村（社区）综合排名', grid: '网格综合排名' },
  departments: '部门综合排名',
  overdue: '超期待处置案件',
  reworked: '返工案件',
  inspections: '专项检查情况',
  lists: '红黑榜',
  closing: '下一步工作要求',
  rank: '排名',
  unitName: { village: '村（社区）', grid: '网格' },
  department: '部门',
  composite: '综合得分',
  change: '较上期',
  unit: '责任单位',
  count: '宗数',
  caseNumbers: '案件编号',
  wholeArea: '其余（未逐宗列出）',
  noDepartments: '本期无派遣到部门的案件。',
  noOverdue: '期末无超期待处置案件。',
  noReworked: '本期无返工案件。',
  campaign: '检查活动',
  campaignPeriod: '检查期间',
  targets: '检查对象',
  visited: '已检查',
  averageRate: '平均得分率',
  vetoed: '一票否决',
  list: '榜单',
  red: '红榜',
  black: '黑榜',
  none: '无',
  listRule: '红榜为综合得分前三名，黑榜为后三名（各不超过排名单位数的一半，并列第一者不上黑榜）。',
  separator: '、',
  schemeNote: (version: number, parts: string, previous: string) =>
    `注：综合得分按考核方案第 ${version} 版计算（${parts}）；“较上期”为与上一期（${previous}）综合得分之差；“—”表示无应处置案件。`,
  oneMinus: '（1−率）',
  date: chineseDate,
  period: (from: string, to: string) => `${chineseDate(from)}至${chineseDate(to)}`,
  numerals: ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'],
  headingOf: (n: string, text: string) => `${n}、${text}`,
};

const EN: Labels = {
  draft: 'DRAFT (not published)',
  overview: 'Overview',
  units: { village: 'Villages by composite score', grid: 'Grids by composite score' },
  departments: 'Departments by composite score',
  overdue: 'Cases pending past their deadline',
  reworked: 'Reworked cases',
  inspections: 'Inspection campaigns',
  lists: 'Red and black lists',
  closing: 'Next steps',
  rank: 'Rank',
  unitName: { village: 'Village', grid: 'Grid' },
  department: 'Department',
  composite: 'Score',
  change: 'Change',
  unit: 'Unit',
  count: 'Cases',
  caseNumbers: 'Case numbers',
  wholeArea: 'Others (not listed)',
  noDepartments: 'No case was dispatched to a department in the period.',
  noOverdue: 'No case was pending past its deadline at the end of the period.',
  noReworked: 'No case was reworked in the period.',
  campaign: 'Campaign',
  campaignPeriod: 'Period',
  targets: 'Targets',
  visited: 'Visited',
  averageRate: 'Average score',
  vetoed: 'Vetoed',
  list: 'List',
  red: 'Red list',
  black: 'Black list',
  none: 'none',
  listRule:
    'The red list names the three best composites, the black list the three worst (each at most half the ranked units).',
  separator: ', ',
  schemeNote: (version: number, parts: string, previous: string) =>
    `Note: composite scores by scheme version ${version} (${parts}); "Change" is against the previous period (${previous}); "—" means nothing was due.`,
  oneMinus: ' (1 − rate)',
  date: (d: string) => d,
  period: (from: string, to: string) => `${from} to ${to}`,
  numerals: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  headingOf: (n: string, text: string) => `${n}. ${text}`,
};

const RATE_KEYS = [
  'handlingRate',
  'onTimeHandlingRate',
  'reworkRate',
  'overduePendingRate',
  'extensionRate',
] as const;

export function labelsOf(bulletin: Bulletin): Labels {
  return bulletin.content.language === 'en' ? EN : ZH;
}

function rankingTable(title: string, rows: BulletinTableRow[], name: string, l: Labels, en: boolean): Block {
  return {
    kind: 'table',
    title,
    widths: [5, 16, 9, 8, 9, 9, 9, 9, 9],
    header: [
      l.rank,
      name,
      l.composite,
      l.change,
      ...RATE_KEYS.map((k) => (en ? INDICATORS[k].label.en : INDICATORS[k].label.zh)),
    ],
    rows: rows.map((r) => [
      r.rank === null ? '—' : String(r.rank),
      r.name,
      scoreText(r.composite),
      changeText(r.composite, r.previousComposite),
      ...RATE_KEYS.map((k) => percentText(r[k])),
    ]),
    leftColumns: [1],
  };
}

function casesTable(title: string, units: BulletinUnitCases[], l: Labels): Block {
  return {
    kind: 'table',
    title,
    widths: [18, 7, 60],
    header: [l.unit, l.count, l.caseNumbers],
    rows: units.map((u) => [u.name || l.wholeArea, String(u.count), u.caseNumbers.join(l.separator)]),
    leftColumns: [0, 2],
  };
}

/** The blocks of a bulletin, in the order the documents print them. */
export function bulletinDocument(bulletin: Bulletin): BulletinDocument {
  const l = labelsOf(bulletin);
  const en = bulletin.content.language === 'en';
  const c = bulletin.content;
  const number = bulletinNumberText(bulletin.year, bulletin.seq, c.language);
  const blocks: Block[] = [
    {
      kind: 'masthead',
      title: bulletin.text.title,
      number,
      office: bulletin.text.office,
      date: l.date(bulletin.issuedOn),
      draft: bulletin.status === 'draft' ? l.draft : null,
    },
  ];
  let section = 0;
  const heading = (text: string) =>
    blocks.push({ kind: 'heading', text: l.headingOf(l.numerals[section++] ?? String(section), text) });

  heading(l.overview);
  for (const text of bulletin.text.headline.split(/\n+/).filter((p) => p.trim()))
    blocks.push({ kind: 'paragraph', text });

  heading(l.units[c.unitKind]);
  blocks.push(rankingTable(l.units[c.unitKind], c.units, l.unitName[c.unitKind], l, en));
  heading(l.departments);
  blocks.push(
    c.departments.length
      ? rankingTable(l.departments, c.departments, l.department, l, en)
      : { kind: 'paragraph', text: l.noDepartments },
  );
  const parts = c.scheme.components
    .map(
      (p) =>
        `${en ? INDICATORS[p.indicator].label.en : INDICATORS[p.indicator].label.zh}${p.direction === 'oneMinus' ? l.oneMinus : ''} ${p.weight}%`,
    )
    .join(l.separator);
  blocks.push({
    kind: 'note',
    text: l.schemeNote(c.scheme.version, parts, l.period(c.previous.from, c.previous.to)),
  });

  heading(l.overdue);
  blocks.push(
    c.overdue.length ? casesTable(l.overdue, c.overdue, l) : { kind: 'paragraph', text: l.noOverdue },
  );
  heading(l.reworked);
  blocks.push(
    c.reworked.length ? casesTable(l.reworked, c.reworked, l) : { kind: 'paragraph', text: l.noReworked },
  );

  if (c.inspections.length) {
    heading(l.inspections);
    blocks.push({
      kind: 'table',
      title: l.inspections,
      widths: [26, 22, 9, 9, 11, 9],
      header: [l.campaign, l.campaignPeriod, l.targets, l.visited, l.averageRate, l.vetoed],
      rows: c.inspections.map((i) => [
        i.name,
        l.period(i.startsOn, i.endsOn),
        String(i.targets),
        String(i.visited),
        i.averageRate === null ? '—' : `${i.averageRate.toFixed(2)}%`,
        String(i.vetoed),
      ]),
      leftColumns: [0, 1],
    });
  }

  heading(l.lists);
  const names = (list: string[]) => (list.length ? list.join(l.separator) : l.none);
  blocks.push({
    kind: 'table',
    title: l.lists,
    widths: [10, 40, 40],
    header: [l.list, l.unitName[c.unitKind], l.department],
    rows: [
      [l.red, names(c.redList.units), names(c.redList.departments)],
      [l.black, names(c.blackList.units), names(c.blackList.departments)],
    ],
    leftColumns: [1, 2],
  });
  blocks.push({ kind: 'note', text: l.listRule });

  if (bulletin.text.closing.trim()) {
    heading(l.closing);
    for (const text of bulletin.text.closing.split(/\n+/).filter((p) => p.trim()))
      blocks.push({ kind: 'paragraph', text });
  }
  return {
    language: c.language,
    title: `${bulletin.text.title}${number}`,
    number,
    stamp: new Date(bulletin.publishedAt ?? bulletin.updatedAt),
    blocks,
  };
}
