import { z } from 'zod';
import type { CaseSource } from './case-workflow.ts';
import type { Visibility } from './registry-policy.ts';
import type { Role } from './roles.ts';

/*
 * What of a case is private, as a table the server enforces and the console reads: which cases the public may
 * read at all (the portal's ticket page, Open311), and how each role sees a reporter's phone.
 */

/**
 * Sources whose cases the public may read — on the portal's ticket page and over Open311 — when their category
 * is public too. A case reported through Open311 is public to Open311 whatever its source (its client sent it
 * to be followed). Every other source is private by default: inspections (督查), covert and internal work, the
 * 12345 hotline's orders, grid workers' and staff's own reports, and any source added later.
 */
export const PUBLIC_CASE_SOURCES: readonly CaseSource[] = ['resident'];

/**
 * How a role sees the phone of a case's reporter, as the registry's personal data (registry-policy.ts):
 * `clear`, `reveal` (masked; shown one at a time on an explicit, audited reveal: POST /cases/{id}/reveal) or
 * `masked`. Dispatchers register reports and call reporters back (回访) every day, so theirs is clear; the
 * people working a case reveal the phone when they must call; leaders never need it.
 */
export const REPORTER_PHONE_VISIBILITY: Record<Role, Visibility> = {
  administrator: 'reveal',
  dispatcher: 'clear',
  gridWorker: 'reveal',
  inspector: 'reveal',
  departmentHandler: 'reveal',
  leader: 'masked',
  unitContact: 'masked',
  volunteer: 'masked',
  partyMember: 'masked',
  // Mediators call the parties of a dispute case they mediate: its reporter is usually one of them.
  mediator: 'reveal',
};

/** The personal data of a case that a reveal may show. */
export const CASE_SENSITIVE_FIELDS = ['reporterPhone'] as const;

export const caseRevealInputSchema = z.object({
  field: z.enum(CASE_SENSITIVE_FIELDS).describe('The field to show in clear'),
});
export const caseRevealResultSchema = z.object({
  field: z.enum(CASE_SENSITIVE_FIELDS),
  value: z.string().nullable(),
});
export type CaseRevealResult = z.infer<typeof caseRevealResultSchema>;
