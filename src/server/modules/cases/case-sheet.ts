/**
 * The printable case sheet (案件处置单): what a dispatcher files or hands to a department, laid out by the
 * inspections' PDF renderer like every other generated document. It prints the case as the person asking sees
 * it (CaseDetail, read through their scope): a reporter's phone stays masked for a role that sees it masked.
 */
import {
  CASE_ACTION_LABELS,
  CASE_STATE_LABELS,
  type CaseAction,
  type CaseState,
} from '../../../shared/case-workflow.ts';
import { CASE_SOURCE_LABELS, type CaseDetail } from '../../../shared/cases.ts';
import {
  type Cell,
  DEFAULT_TIME_ZONE,
  formatDateTime,
  type PrintDocument,
} from '../inspections/inspection-documents/layout.ts';
import { renderPdf } from '../inspections/inspection-documents/pdf-render.ts';

const label = (text: string): Cell => ({ text, bold: true, shade: true, align: 'center' });
const at = (iso: string | null) => (iso ? formatDateTime(new Date(iso), DEFAULT_TIME_ZONE) : '—');
const stateName = (state: string) => CASE_STATE_LABELS[state as CaseState]?.zh ?? state;
const actionName = (action: string) =>
  action === 'report' ? '上报' : (CASE_ACTION_LABELS[action as CaseAction]?.zh ?? action);

export function caseSheetDocument(c: CaseDetail, printedAt: Date): PrintDocument {
  const title = '案件处置单';
  const lead = c.departments.find((d) => d.role === 'lead')?.name ?? '—';
  const assisting = c.departments.filter((d) => d.role === 'assist').map((d) => d.name);
  const place = [c.regionName, c.address].filter(Boolean).join(' ');
  const point = c.lon !== null && c.lat !== null ? `${c.lon.toFixed(6)}, ${c.lat.toFixed(6)}` : '—';
  return {
    title,
    number: c.caseNumber,
    blocks: [
      { kind: 'title', text: title, subtitle: '网格化服务管理' },
      { kind: 'number', text: `案件编号：${c.caseNumber}` },
      {
        kind: 'table',
        widths: [1.3, 2.7, 1.3, 2.7],
        rows: [
          [
            label('问题类别'),
            { text: `${c.categoryName}（${c.categoryCode}）` },
            label('案件来源'),
            { text: CASE_SOURCE_LABELS[c.source].zh },
          ],
          [label('上报时间'), { text: at(c.createdAt) }, label('当前状态'), { text: stateName(c.state) }],
          [label('发生地点'), { text: place || '—', span: 3 }],
          [label('经纬度'), { text: point, span: 3 }],
          [
            label('上报人'),
            { text: c.reporterName ?? '—' },
            label('联系电话'),
            { text: c.reporterPhone ?? '—' },
          ],
          [label('主办部门'), { text: lead }, label('协办部门'), { text: assisting.join('、') || '—' }],
          [label('当前时限'), { text: at(c.stepDueAt) }, label('办结时间'), { text: at(c.closedAt) }],
        ],
      },
      { kind: 'heading', text: '问题描述' },
      { kind: 'paragraph', text: c.description, indent: true },
      ...(c.attributes.length
        ? [
            {
              kind: 'table' as const,
              widths: [2, 6],
              rows: c.attributes.map((a): Cell[] => [label(a.description), { text: a.shown.join('、') }]),
            },
          ]
        : []),
      { kind: 'heading', text: '处置经过' },
      {
        kind: 'table',
        widths: [2.2, 1.4, 1.8, 2.6],
        header: ['时间', '环节', '经办人', '意见'],
        rows: c.events.map((e): Cell[] => [
          { text: at(e.at) },
          { text: actionName(e.action) },
          { text: e.actorName },
          { text: e.note ?? '' },
        ]),
      },
      {
        kind: 'signatures',
        entries: [{ label: '派遣员（签名）' }, { label: '处置部门（签名）' }, { label: '核查人（签名）' }],
      },
      { kind: 'paragraph', text: `打印时间：${formatDateTime(printedAt, DEFAULT_TIME_ZONE)}` },
    ],
  };
}

export function renderCaseSheetPdf(c: CaseDetail, printedAt: Date): Promise<Buffer> {
  return renderPdf(caseSheetDocument(c, printedAt));
}
