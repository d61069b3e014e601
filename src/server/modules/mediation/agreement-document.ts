/**
 * The people's mediation agreement (人民调解协议书) as a printable document, laid out by the inspections' PDF and
 * Word renderers (one neutral block list, both files carry the same text): the committee and number, the parties
 * with their particulars, the facts and matters in dispute, the terms agreed, how, where and by when they are
 * performed, the clauses the law requires (人民调解法 arts. 29–33), and lines for the parties, the mediator and the
 * committee's seal.
 */
import { DISPUTE_TYPE_LABELS, type DisputeType, PARTY_SIDE_LABELS } from '../../../shared/mediation.ts';
import { renderDocx } from '../inspections/inspection-documents/docx-render.ts';
import {
  type Cell,
  DEFAULT_TIME_ZONE,
  formatDate,
  type PrintDocument,
} from '../inspections/inspection-documents/layout.ts';
import { renderPdf } from '../inspections/inspection-documents/pdf-render.ts';

export interface AgreementData {
  /** 调解委员会: e.g. 河清社区人民调解委员会. */
  committee: string;
  number: string;
  mediationNumber: string;
  disputeType: DisputeType;
  parties: {
    side: 'applicant' | 'respondent';
    name: string;
    idNumber: string | null;
    phone: string | null;
    address: string | null;
  }[];
  facts: string;
  terms: string;
  performanceMethod: string;
  performancePlace: string;
  /** YYYY-MM-DD. */
  performBy: string;
  signedOn: string;
  mediator: string | null;
  /** Marked 演示数据 in the title when the record is synthetic. */
  synthetic: boolean;
}

const civil = (day: string) => formatDate(new Date(`${day}T12:00:00+08:00`), DEFAULT_TIME_ZONE);

function label(text: string): Cell {
  return { text, bold: true, shade: true, align: 'center' };
}

export function agreementDocument(data: AgreementData): PrintDocument {
  const title = '人民调解协议书';
  const partyRows = data.parties.map((p): Cell[] => [
    label(PARTY_SIDE_LABELS[p.side].zh),
    { text: p.name },
    label('身份证号'),
    { text: p.idNumber ?? '—' },
    label('联系电话'),
    { text: p.phone ?? '—' },
  ]);
  const addressRows = data.parties.map((p): Cell[] => [
    label('住址'),
    { text: `${p.name}：${p.address ?? '—'}`, span: 5 },
  ]);
  return {
    title,
    number: data.number,
    blocks: [
      {
        kind: 'title',
        text: title,
        subtitle: `${data.committee}${data.synthetic ? '（演示数据）' : ''}`,
      },
      { kind: 'number', text: `${data.number}　　调解案件：${data.mediationNumber}` },
      { kind: 'heading', text: '当事人' },
      {
        kind: 'table',
        widths: [1.2, 1.6, 1.2, 2.4, 1.2, 1.6],
        rows: [...partyRows, ...addressRows],
      },
      { kind: 'heading', text: `一、纠纷主要事实、争议事项（${DISPUTE_TYPE_LABELS[data.disputeType].zh}）` },
      ...paragraphs(data.facts),
      { kind: 'heading', text: '二、经调解，当事人自愿达成如下协议' },
      ...paragraphs(data.terms),
      { kind: 'heading', text: '三、履行方式、地点、期限' },
      {
        kind: 'table',
        widths: [1.4, 6.6],
        rows: [
          [label('履行方式'), { text: data.performanceMethod }],
          [label('履行地点'), { text: data.performancePlace }],
          [label('履行期限'), { text: `${civil(data.performBy)}前` }],
        ],
      },
      { kind: 'heading', text: '四、其他' },
      {
        kind: 'paragraph',
        indent: true,
        text:
          '本协议经人民调解委员会调解，当事人自愿达成，具有法律约束力，当事人应当按照约定履行。' +
          '双方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。' +
          `本协议一式${data.parties.length + 1}份，当事人各执一份，人民调解委员会留存一份，自各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。`,
      },
      {
        kind: 'signatures',
        entries: [
          ...data.parties.map((p) => ({ label: `${PARTY_SIDE_LABELS[p.side].zh}（签名、按指印）` })),
          { label: '人民调解员（签名）', ...(data.mediator ? { name: data.mediator } : {}) },
          { label: '记录人（签名）' },
        ],
      },
      { kind: 'seal', office: data.committee, date: civil(data.signedOn) },
    ],
  };
}

function paragraphs(text: string) {
  return text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => ({ kind: 'paragraph' as const, text: line, indent: true }));
}

export function renderAgreementPdf(data: AgreementData): Promise<Buffer> {
  return renderPdf(agreementDocument(data));
}

export function renderAgreementDocx(data: AgreementData): Promise<Buffer> {
  return renderDocx(agreementDocument(data));
}
