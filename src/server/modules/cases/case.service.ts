import { createCaseActions } from './case-actions.ts';
import { type CaseServiceDeps, createCaseContext } from './case-context.ts';
import { createDeadlineRecompute } from './case-deadline-recompute.ts';
import { createCaseDeadlines } from './case-deadlines.ts';
import { createCaseIntake } from './case-intake.ts';
import { createCaseNotices } from './case-notices.ts';
import { createCaseQueries } from './case-queries.ts';

export type { BulkOutcome } from './case-actions.ts';
export type { CaseServiceDeps } from './case-context.ts';
export type { CaseHistory, CaseOrigin, ReportCaseInput } from './case-intake.ts';
export type { CaseListQuery, ModerateCaseInput, PublicCase } from './case-queries.ts';

export type CaseService = ReturnType<typeof createCaseService>;

/**
 * The cases' use cases, composed from one file per seam sharing one context (case-context.ts): intake
 * (reports), actions (the workflow), queries (detail, queue, public view, moderation), deadlines (due times
 * and the sweep) and notices (who is told of what happens).
 */
export function createCaseService(deps: CaseServiceDeps) {
  const ctx = createCaseContext(deps);
  const notices = createCaseNotices(ctx);
  const deadlines = createCaseDeadlines(ctx, notices);
  const queries = createCaseQueries(ctx);
  const intake = createCaseIntake(ctx, deadlines);
  const actions = createCaseActions(ctx, { deadlines, notices, queries });
  const recompute = createDeadlineRecompute(ctx, deadlines);
  return {
    reportCase: intake.reportCase,
    actOnCase: actions.actOnCase,
    actOnCases: actions.actOnCases,
    getCase: queries.getCase,
    listCases: queries.listCases,
    workSummary: queries.workSummary,
    exportCases: queries.exportCases,
    sweepOverdue: deadlines.sweepOverdue,
    tellNewReports: deadlines.tellNewReports,
    recomputeDeadlines: recompute.recomputeDeadlines,
    findPossibleDuplicates: queries.findPossibleDuplicates,
    findCasesByClientKeys: intake.findCasesByClientKeys,
    recordHistory: intake.recordHistory,
    recordClientUpdate: actions.recordClientUpdate,
    prepareHandlingDeadline: actions.prepareHandlingDeadline,
    getPublicCase: queries.getPublicCase,
    revealCase: queries.revealCase,
    ticketCodeOf: queries.ticketCodeOf,
    moderateCase: queries.moderateCase,
  };
}
