/**
 * The printable documents of inspections, gathered for whoever may see them: the inspection opinion (检查意见书)
 * of one visit, from the visit's notice data, and the report (专项检查情况报告) of one campaign, from its results.
 * Visibility is the visit's and the campaign's (a covert campaign the actor may not see is not found). A
 * campaign's report is numbered (BG-2026-0007) the first time it is printed, and keeps that number.
 */
import { SITE_TYPE_LABELS } from '../../../shared/inspections.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { nextNumber } from '../../db/number-counters.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { civilDateOf } from '../calendar/working-time.ts';
import type { Actor } from '../people/actor.ts';
import type { CampaignService } from './campaign.service.ts';
import type { CampaignResultsService } from './campaign-results.ts';
import {
  type CampaignReportData,
  renderCampaignReportDocx,
  renderCampaignReportPdf,
  renderOpinionDocx,
  renderOpinionPdf,
} from './inspection-documents/index.ts';
import * as documents from './inspection-documents.repository.ts';
import type { VisitService } from './visit.service.ts';

export type DocumentFormat = 'pdf' | 'docx';

export interface PrintedDocument {
  /** The name an office files it under, in Chinese, and a plain ASCII one for clients that cannot take it. */
  fileName: string;
  asciiName: string;
  contentType: string;
  bytes: Buffer;
}

export const DOCUMENT_CONTENT_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const TIME_ZONE = 'Asia/Shanghai';
/** A campaign's dates are civil days; printed in China time, midnight there names the day. */
const dayOf = (civil: string) => new Date(`${civil}T00:00:00+08:00`);
/** Characters a file name cannot hold on the usual desktops. */
const safeName = (name: string) => name.replace(/[\\/:*?"<>|\s]+/g, '_');

export interface InspectionDocumentDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  campaigns: Pick<CampaignService, 'listRounds'>;
  campaignResults: Pick<CampaignResultsService, 'resultsForReport'>;
  visits: Pick<VisitService, 'noticeData'>;
}

export type InspectionDocumentService = ReturnType<typeof createInspectionDocuments>;

export function createInspectionDocuments(deps: InspectionDocumentDeps) {
  const { db, clock, audit, campaigns, campaignResults, visits } = deps;

  async function opinion(actor: Actor, visitId: number, format: DocumentFormat): Promise<PrintedDocument> {
    const data = await visits.noticeData(actor, visitId);
    const bytes = format === 'pdf' ? await renderOpinionPdf(data) : await renderOpinionDocx(data);
    return {
      fileName: safeName(`检查意见书-${data.number}-${data.unit.name}.${format}`),
      asciiName: `opinion-${data.number}.${format}`,
      contentType: DOCUMENT_CONTENT_TYPES[format],
      bytes,
    };
  }

  /** The report's number: the one it was given, or the next of its year, given now in one audited step. */
  async function reportNumber(actor: Actor, campaignId: number, regionCode: string): Promise<string> {
    return db.transaction().execute(async (trx) => {
      const given = await documents.lockReportNumber(trx, campaignId);
      if (given) return given;
      const year = Number(civilDateOf(clock.now().getTime(), TIME_ZONE).slice(0, 4));
      const number = `BG-${year}-${String(await nextNumber(trx, 'BG', year)).padStart(4, '0')}`;
      await documents.setReportNumber(trx, campaignId, number);
      await audit.record(trx, {
        actor,
        action: 'campaign.reportNumber',
        entityType: 'campaign',
        entityId: campaignId,
        countyCode: regionCode.length >= 6 ? regionCode.slice(0, 6) : null,
        details: { reportNumber: number },
      });
      return number;
    });
  }

  async function reportData(actor: Actor, campaignId: number): Promise<CampaignReportData> {
    const { found, results, visitTimes } = await campaignResults.resultsForReport(actor, campaignId);
    const { row } = found;
    const [rounds, number] = await Promise.all([
      campaigns.listRounds(actor, campaignId),
      row.report_number ?? reportNumber(actor, campaignId, row.region_code),
    ]);
    const regular = rounds.filter((r) => r.kind === 'regular');
    const villageName = new Map(results.villages.map((v) => [v.code, v.name]));
    const villageOf = (regionCode: string) => regionCode.slice(0, CODE_LENGTH.village);
    const failedIn = new Map<string, number>();
    for (const t of results.targets) {
      const village = villageOf(t.regionCode);
      failedIn.set(village, (failedIn.get(village) ?? 0) + t.failed);
    }
    const areaName = row.region_name ?? row.region_code;
    const rate = (percent: number | null) => (percent === null ? null : percent / 100);
    const { rectification: progress } = results;
    return {
      number,
      campaignName: row.name,
      areaName,
      organiser: row.organiser_department_name ?? `${areaName}督查办`,
      covert: row.covert,
      checklistName: `${row.template_name}（第${row.template_version}版）`,
      startsOn: dayOf(row.starts_on),
      endsOn: dayOf(row.ends_on),
      counts: {
        targets: results.overall.targets,
        visited: results.overall.visited,
        late: regular.reduce((sum, r) => sum + r.late, 0),
        missed: regular.reduce((sum, r) => sum + r.missed, 0),
      },
      averageRate: rate(results.overall.averageRate),
      targets: results.targets.map((t) => {
        const visit = visitTimes.get(t.targetId);
        return {
          name: t.name,
          typeLabel: SITE_TYPE_LABELS[t.siteType]?.zh ?? t.siteType,
          village: villageName.get(villageOf(t.regionCode)) ?? '',
          visitedAt: visit?.visitedAt ?? null,
          late: visit?.late ?? false,
          earned: t.earned ?? 0,
          applicable: t.applicable ?? 0,
          vetoedBy: t.vetoedBy ? `${t.vetoedBy.key} ${t.vetoedBy.question}` : null,
          failedItems: t.failed,
        };
      }),
      items: results.items.map((i) => ({
        key: i.key,
        section: i.section,
        question: i.question,
        veto: i.veto,
        inspected: i.applicable,
        failed: i.failed,
      })),
      villages: results.villages.map((v) => ({
        name: v.name,
        targets: v.targets,
        visited: v.visited,
        averageRate: rate(v.averageRate),
        failedItems: failedIn.get(v.code) ?? 0,
        vetoed: v.vetoed,
      })),
      rectification: {
        open: progress.open.count + progress.openOverdue.count,
        overdue: progress.openOverdue.count,
        doneOnTime: progress.doneOnTime.count,
        doneLate: progress.doneLate.count,
      },
      issuedAt: clock.now(),
      timeZone: TIME_ZONE,
    };
  }

  async function campaignReport(
    actor: Actor,
    campaignId: number,
    format: DocumentFormat,
  ): Promise<PrintedDocument> {
    const data = await reportData(actor, campaignId);
    const bytes =
      format === 'pdf' ? await renderCampaignReportPdf(data) : await renderCampaignReportDocx(data);
    return {
      fileName: safeName(`专项检查情况报告-${data.number}-${data.campaignName}.${format}`),
      asciiName: `report-${data.number}.${format}`,
      contentType: DOCUMENT_CONTENT_TYPES[format],
      bytes,
    };
  }

  return { opinion, campaignReport, reportData };
}
