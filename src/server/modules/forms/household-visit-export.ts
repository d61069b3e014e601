import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { formText } from '../../../shared/form-answers.ts';
import type { Question } from '../../../shared/forms.ts';
import { VISIT_UNIT_NAME_LABELS } from '../../../shared/household-visits.ts';
import type { Actor } from '../people/actor.ts';
import type { HouseholdVisitService, VisitForm } from './household-visit.service.ts';
import type { VisitCampaignRow } from './household-visit.table.ts';

const PAGE = 200;
const YES_NO: Record<string, { zh: string; en: string }> = {
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
};

/** An answer as people read it: choices by their labels, a point as "lat, lon" (visits and checkpoint checks). */
export function answerLabel(q: Question, value: unknown, actor: Pick<Actor, 'locale'>): string {
  if (value === undefined || value === null) return '';
  const label = (v: string) => {
    const choice = q.choices?.find((c) => c.value === v);
    if (choice) return formText(choice.label, actor.locale);
    const yn = q.type === 'yesNo' ? YES_NO[v] : undefined;
    return yn ? formText(yn, actor.locale) : v;
  };
  if (Array.isArray(value)) return value.map((v) => label(String(v))).join('、');
  if (typeof value === 'object') {
    const p = value as { lat?: number; lon?: number };
    return `${p.lat ?? ''}, ${p.lon ?? ''}`;
  }
  return label(String(value));
}

function codeOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Every visit of the campaign the actor may read, as an XLSX: the first sheet with choices as their labels, the
 * second with the codes the form stores (for re-analysis). Answers come through the service's presenter, so
 * personal data is masked exactly as in the console. Rows are paged from the database and streamed out.
 */
export async function writeAnswersWorkbook(
  service: HouseholdVisitService,
  actor: Actor,
  source: { campaign: VisitCampaignRow; form: VisitForm },
  out: Writable,
): Promise<void> {
  const en = actor.locale === 'en-US';
  const questions = source.form.definition.questions.filter((q) => q.type !== 'note');
  // The unit's column is named for what the campaign counts: 户主, a house's 住户, or the 单位名称.
  const unitColumn = formText(VISIT_UNIT_NAME_LABELS[source.campaign.unit], actor.locale);
  const fixed = en
    ? ['Visited at', 'Grid', 'Address', unitColumn, 'Unit key', 'Visitor', 'Cases raised']
    : ['走访时间', '网格', '地址', unitColumn, '对象编号', '走访人', '引发案件'];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const labels = workbook.addWorksheet(en ? 'Answers' : '走访结果', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  const header = labels.addRow([...fixed, ...questions.map((q) => formText(q.label, actor.locale))]);
  header.font = { bold: true };
  header.commit();
  const codeRows: string[][] = [[...fixed, ...questions.map((q) => q.name)]];
  for (let page = 1; ; page++) {
    const { items } = await service.listVisits(actor, source.campaign.id, { page, pageSize: PAGE });
    for (const visit of items) {
      const lead = [
        visit.visitedAt,
        visit.gridCode,
        visit.address,
        visit.unitName,
        visit.household,
        visit.visitorName,
        visit.cases.map((c) => c.caseNumber).join(' '),
      ];
      labels
        .addRow([...lead, ...questions.map((q) => answerLabel(q, visit.answers[q.name], actor))])
        .commit();
      codeRows.push([...lead, ...questions.map((q) => codeOf(visit.answers[q.name]))]);
    }
    if (items.length < PAGE) break;
  }
  labels.commit();
  const codes = workbook.addWorksheet(en ? 'Codes' : '代码', { views: [{ state: 'frozen', ySplit: 1 }] });
  codeRows.forEach((cells, i) => {
    const row = codes.addRow(cells);
    if (i === 0) row.font = { bold: true };
    row.commit();
  });
  codes.commit();
  await workbook.commit();
}
