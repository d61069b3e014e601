import type { Locale } from '../../../shared/errors.ts';
import type { Role } from '../../../shared/roles.ts';

/**
 * The volunteer request a volunteer is signed in to today and not yet signed out of. It is their only reach:
 * its community is their data scope (scope.ts) and its tool — a visit campaign, a checkpoint — the one they may
 * use (issue 18). Looked up on every request, so signing out ends it at once.
 */
export interface VolunteerTask {
  assignmentId: number;
  requestId: number;
  regionCode: string;
  regionName: string;
  kind: string;
  visitCampaignId: number | null;
  checkpointId: number | null;
}

/** Who is acting: the signed-in user as every service sees it. */
export interface Actor {
  id: number;
  username: string;
  name: string;
  role: Role;
  /** Root of the data scope: the user sees and changes only regions whose code starts with it. */
  scopeCode: string;
  scopeName: string;
  departmentId: number | null;
  locale: Locale;
  /** Set only for a volunteer while signed in to a request on its day (see `VolunteerTask`). */
  readonly volunteerTask?: VolunteerTask;
  /** Set only by `systemActor`: work started by the system, whose scope is everything (see scope.ts). */
  readonly system?: true;
}

/** The actor for work started from the command line or at start-up, scoped to everything. */
export function systemActor(name = 'system'): Actor {
  return {
    id: 0,
    username: name,
    name,
    role: 'administrator',
    scopeCode: '',
    scopeName: name,
    departmentId: null,
    locale: 'zh-CN',
    system: true,
  };
}
