import type { Role } from './roles.ts';

/**
 * Who may open each module's console pages: the role lists the console's menu and routes check before a page is
 * loaded. They live apart from the modules' API schemas (which re-export them for the server), so the console's
 * frame, loaded on every page, does not download zod and every module's schemas to draw its menu.
 */

// checkpoints
/** Who reads checkpoints, their entries and counts (in their scope). Departments and inspectors see none. */
export const CHECKPOINT_READER_ROLES: readonly Role[] = [
  'administrator',
  'leader',
  'dispatcher',
  'gridWorker',
];

// evaluation
/**
 * Who reads indicators (考核指标): the people who supervise and evaluate, each within their data scope.
 * Department handlers and grid workers are the ones evaluated.
 */
export const INDICATOR_READER_ROLES: readonly Role[] = ['administrator', 'leader', 'dispatcher', 'inspector'];

// forms
/** Who builds and publishes forms; every signed-in role may read the forms of its scope (it fills them in). */
export const FORM_AUTHOR_ROLES: readonly Role[] = ['administrator', 'leader'];

// household-visits
/** Who reads campaigns, coverage and answers (each within their scope). */
export const VISIT_CAMPAIGN_READER_ROLES: readonly Role[] = [
  'administrator',
  'leader',
  'dispatcher',
  'gridWorker',
];

// mediation
/** Who reads mediations (within their data scope): the town's and villages' supervisors and the mediators. */
export const MEDIATION_READER_ROLES: readonly Role[] = [
  'administrator',
  'leader',
  'dispatcher',
  'mediator',
  'gridWorker',
];

// party
/** Who reads the party figures, branches, posts and members (party members read their own village's). */
export const PARTY_READER_ROLES: readonly Role[] = [
  'administrator',
  'leader',
  'dispatcher',
  'gridWorker',
  'partyMember',
];

// patrols
/** Who reads patrols: supervisors of their region, and a grid worker their own. Departments see none. */
export const PATROL_READER_ROLES: readonly Role[] = ['administrator', 'leader', 'dispatcher', 'gridWorker'];

// registrations
/** Who reads a community's registrations (always within their data scope). */
export const REGISTRATION_READER_ROLES = [
  'administrator',
  'leader',
  'dispatcher',
  'gridWorker',
] as const satisfies readonly Role[];

// volunteers
/** Who may read requests: community staff, supervisors of the area, and unit contacts (to send people). */
export const REQUEST_READER_ROLES: readonly Role[] = [
  'administrator',
  'leader',
  'dispatcher',
  'gridWorker',
  'unitContact',
];

// hotline
/** Who may import 12345 work orders: they register what comes in, so the command centre and administrators. */
export const HOTLINE_IMPORT_ROLES: readonly Role[] = ['dispatcher', 'administrator'];
