import type { Role } from '../../../shared/roles.ts';

/**
 * Who opens the 督查检查 section: those who run inspections, and the dispatchers who follow their
 * rectifications (read only). What each may do on a campaign is the server's `rights` answer.
 */
export const INSPECTIONS_READER_ROLES: readonly Role[] = [
  'administrator',
  'leader',
  'inspector',
  'dispatcher',
];
