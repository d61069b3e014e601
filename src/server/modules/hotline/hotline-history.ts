import { createHash } from 'node:crypto';
import type { CaseHistory } from '../cases/case.service.ts';

/** How a 12345 order is known again on a later import: the case it became, and what it said then. */

/** Client keys of hotline cases: re-importing an order finds the case its first import created. */
export function hotlineClientKey(orderNo: string): string {
  return `hotline:${orderNo}`;
}

/**
 * What an order said when imported as history: a later import of the same order compares it to tell a
 * corrected order from the same one again.
 */
export function historyKeyOf(history: CaseHistory, regionCode: string): string {
  const { input } = history;
  const said = [
    input.categoryId,
    regionCode,
    input.lon ?? null,
    input.lat ?? null,
    input.description,
    input.address ?? null,
    input.reporterName ?? null,
    input.reporterPhone ?? null,
    history.receivedAt.toISOString(),
    history.dueAt?.toISOString() ?? null,
    history.closedAt?.toISOString() ?? null,
    history.departmentId,
    history.details?.status ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(said)).digest('hex').slice(0, 32);
}
