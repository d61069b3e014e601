import { TICKET_CODE_PATTERN } from '../../../shared/portal.ts';

/**
 * The reports made on this phone: ticket code, the key that lets their reporter rate them, and when. Kept in
 * localStorage only — the server keeps nothing that ties a report to a phone.
 */
export interface MyReport {
  ticketNo: string;
  ratingKey: string;
  at: string;
}

const STORAGE_KEY = 'gridgov.portal.reports';
const KEEP = 50;

export function listMyReports(): MyReport[] {
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
    // Reports kept before ticket codes hold a case number, which no longer opens a ticket.
    return Array.isArray(stored)
      ? (stored as MyReport[]).filter((r) => TICKET_CODE_PATTERN.test(String(r?.ticketNo)))
      : [];
  } catch {
    return [];
  }
}

export function rememberReport(report: MyReport): void {
  const others = listMyReports().filter((r) => r.ticketNo !== report.ticketNo);
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify([report, ...others].slice(0, KEEP)));
  } catch {
    // Storage blocked (private mode): the ticket code on screen is all the resident keeps.
  }
}

export function ratingKeyFor(ticketNo: string): string | null {
  return listMyReports().find((r) => r.ticketNo === ticketNo)?.ratingKey ?? null;
}
