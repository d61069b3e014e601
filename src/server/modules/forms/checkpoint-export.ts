import type { DailyCount, Entry } from '../../../shared/checkpoints.ts';
import type { Locale } from '../../../shared/errors.ts';

/** The columns of the checkpoint files (entries, daily counts), written by the API's exports and the CLI. */

export const ENTRY_HEADERS: Record<Locale, string[]> = {
  'zh-CN': [
    '卡点',
    '时间',
    '方向',
    '对象',
    '车牌号',
    '身份证号',
    '体温',
    '结果',
    '劝返原因',
    '登记人',
    '演示数据',
    '其他检查',
    '表单版本',
  ],
  'en-US': [
    'Checkpoint',
    'Time',
    'Direction',
    'Subject',
    'Plate',
    'ID number',
    'Temperature',
    'Outcome',
    'Reason',
    'Logged by',
    'Synthetic',
    'Checks',
    'Form version',
  ],
};
export const COUNT_HEADERS: Record<Locale, string[]> = {
  'zh-CN': ['日期', '村居', '卡点', '人员进', '人员出', '车辆进', '车辆出', '劝返', '发热', '合计'],
  'en-US': [
    'Day',
    'Village',
    'Checkpoint',
    'People in',
    'People out',
    'Vehicles in',
    'Vehicles out',
    'Stopped',
    'Fever',
    'Total',
  ],
};
const WORDS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    in: '进',
    out: '出',
    person: '人员',
    vehicle: '车辆',
    passed: '通过',
    stopped: '劝返',
    yes: '是',
  },
  'en-US': {
    in: 'in',
    out: 'out',
    person: 'person',
    vehicle: 'vehicle',
    passed: 'passed',
    stopped: 'stopped',
    yes: 'yes',
  },
};

/** The time as people at the checkpoint read it: Asia/Shanghai, YYYY-MM-DD HH:mm:ss. */
const shanghaiTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * An entry as a row of the entries file, in the reader's language; the ID number as presented (masked); the
 * answers to the checkpoint's form as people read them ("体温正常：是；健康码：绿码"), then the form version they
 * answered (v2).
 */
export const entryCells =
  (locale: Locale) =>
  (e: Entry): (string | number)[] => {
    const words = WORDS[locale];
    return [
      e.checkpointName,
      shanghaiTime(e.at),
      words[e.direction] ?? e.direction,
      words[e.subject] ?? e.subject,
      e.plate ?? '',
      e.idNumber ?? '',
      e.temperature ?? '',
      words[e.outcome] ?? e.outcome,
      e.reason ?? '',
      e.recordedBy,
      e.synthetic ? (words.yes ?? '') : '',
      e.checkAnswers.map((a) => `${a.question}：${a.answer}`).join('；'),
      e.formVersion === null ? '' : `v${e.formVersion}`,
    ];
  };

export const countCells = (r: DailyCount): (string | number)[] => [
  r.day,
  r.villageName,
  r.checkpointName,
  r.peopleIn,
  r.peopleOut,
  r.vehiclesIn,
  r.vehiclesOut,
  r.stopped,
  r.fever,
  r.total,
];
