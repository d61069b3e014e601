/**
 * The printable documents of inspections, as PDF (with an embedded Chinese font) and Word (.docx): the
 * inspection opinion (检查意见书) of one visit and the report (专项检查情况报告) of one campaign. Each is said
 * once (opinion-content.ts, campaign-report-content.ts) and laid out by both renderers.
 */
import { campaignReportDocument } from './campaign-report-content.ts';
import { renderDocx } from './docx-render.ts';
import { opinionDocument } from './opinion-content.ts';
import { renderPdf } from './pdf-render.ts';
import type { CampaignReportData, InspectionOpinionData } from './types.ts';

export type * from './types.ts';

export function renderOpinionPdf(data: InspectionOpinionData): Promise<Buffer> {
  return renderPdf(opinionDocument(data));
}

export function renderOpinionDocx(data: InspectionOpinionData): Promise<Buffer> {
  return renderDocx(opinionDocument(data));
}

export function renderCampaignReportPdf(data: CampaignReportData): Promise<Buffer> {
  return renderPdf(campaignReportDocument(data));
}

export function renderCampaignReportDocx(data: CampaignReportData): Promise<Buffer> {
  return renderDocx(campaignReportDocument(data));
}
