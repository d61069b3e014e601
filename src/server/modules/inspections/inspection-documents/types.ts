/**
 * What the printable documents of inspections are made from: plain data that the visits and campaigns parts
 * gather (no database here). Texts are the Chinese the document prints, whatever the reader's UI language: an
 * office files these documents in Chinese. Instants are Dates, printed in `timeZone` (Asia/Shanghai by default).
 */

/** One failed item of a visit, as the inspection opinion lists it. */
export interface OpinionFinding {
  /** The item's key in its checklist, e.g. "2.3". */
  key: string;
  section: string;
  question: string;
  /** 判定口径: the judging rule of the item, printed under the question when given. */
  judgingRule: string | null;
  /** Points the item is worth, and the points earned (0 for a plain fail, some for a graded deduction). */
  points: number;
  earned: number;
  /** What the inspector wrote on site. */
  note: string;
  /** 立行立改: to be put right the same working day. */
  immediate: boolean;
  veto: boolean;
  /** 整改期限: when the rectification case is due; null when no case was opened. */
  deadline: Date | null;
  /** The rectification case the failure became, e.g. "2026-000451". */
  caseNumber: string | null;
}

export interface VisitScoreText {
  /** Raw points earned and applicable (not-applicable items are out of both), before any veto. */
  earned: number;
  applicable: number;
  /** The failed veto item that zeroed the score, or null. */
  vetoedBy: { key: string; section: string; question: string } | null;
}

/** 检查意见书: one per target visit, listing every failed item with its deadline and case. */
export interface InspectionOpinionData {
  /** 编号, e.g. "JC-2026-000123". */
  number: string;
  /** The area the campaign covers, as the title names it, e.g. "XX镇". */
  areaName: string;
  /** The office that organised the inspection and signs the opinion, e.g. "XX镇综合治理办公室". */
  office: string;
  campaignName: string;
  /** 暗访: the title says 暗访检查 instead of 专项检查. */
  covert: boolean;
  /** The checklist version the visit was scored with, e.g. "药店诊所专项检查表（第2版）". */
  checklistName: string;
  unit: {
    name: string;
    address: string | null;
    /** The kind of site in Chinese, e.g. "药店". */
    typeLabel: string;
  };
  visitedAt: Date;
  /** 检查地点: where the visit was made (the address, or a description of the spot). */
  place: string;
  inspectors: string[];
  findings: OpinionFinding[];
  score: VisitScoreText;
  /** 被检查单位负责人: the person in charge on site, and the signature they drew (PNG), when given. */
  personInCharge: string | null;
  signaturePng: Uint8Array | null;
  /** The date the opinion is issued on (printed beside the office's seal). */
  issuedAt: Date;
  timeZone?: string;
}

export interface ReportTarget {
  name: string;
  typeLabel: string;
  /** The village or community (村/社区) it lies in. */
  village: string;
  /** When it was visited, null when it was not (yet). */
  visitedAt: Date | null;
  /** Visited after its round's due date. */
  late: boolean;
  /** Raw points earned and applicable of its visit; the veto zeroes the rate printed, not these. */
  earned: number;
  applicable: number;
  vetoedBy: string | null;
  failedItems: number;
}

export interface ReportItem {
  key: string;
  section: string;
  question: string;
  veto: boolean;
  /** Visits where the item applied, and where it failed. */
  inspected: number;
  failed: number;
}

export interface ReportVillage {
  name: string;
  targets: number;
  visited: number;
  /** Mean score rate of its visited targets (vetoed ones counting 0), 0…1, or null when none was visited. */
  averageRate: number | null;
  failedItems: number;
  vetoed: number;
}

/** 专项检查情况报告: one per campaign. */
export interface CampaignReportData {
  /** 编号, e.g. "BG-2026-0007". */
  number: string;
  campaignName: string;
  areaName: string;
  /** The organising office, which signs and seals the report. */
  organiser: string;
  covert: boolean;
  checklistName: string;
  startsOn: Date;
  endsOn: Date;
  counts: { targets: number; visited: number; late: number; missed: number };
  /** Mean score rate over visited targets (vetoed ones counting 0), 0…1, or null when none was visited. */
  averageRate: number | null;
  targets: ReportTarget[];
  items: ReportItem[];
  villages: ReportVillage[];
  /** Rectification cases: still open (and of those, past their deadline), done on time, done late. */
  rectification: { open: number; overdue: number; doneOnTime: number; doneLate: number };
  issuedAt: Date;
  timeZone?: string;
}
