/**
 * Volunteer service (志愿服务, 大党委 / 下沉): member units register their volunteers; a community asks for people
 * for a task on a day; units send named volunteers until the request is filled; the community's staff (or the
 * volunteer, with an account) sign them in and out; person-times and hours are counted per unit, community and
 * month from those sign-ins.
 */
import type { LocalizedText } from '../../../shared/errors.ts';
import type {
  FigureQuery,
  Figures,
  MyTask,
  RequestDetail,
  RequestInput,
  RequestListQuery,
  RequestPage,
  SendVolunteersInput,
  SignInListQuery,
  SignInPage,
  Unit,
  UnitInput,
  UnitPage,
  Volunteer,
  VolunteerInput,
} from '../../../shared/volunteers.ts';
import {
  COMMUNITY_ROLES,
  FIGURE_READER_ROLES,
  firstReachDay,
  REQUEST_READER_ROLES,
  UNIT_ADMIN_ROLES,
} from '../../../shared/volunteers.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { invalidFields, shanghaiDay } from '../patrols/patrol.policy.ts';
import { assertInScope, assertRole, inScope } from '../people/access.policy.ts';
import type { Actor, VolunteerTask } from '../people/actor.ts';
import { unscoped } from '../people/scope.ts';
import { ASSIGNMENT, REQUEST, TEXT, UNIT, VOLUNTEER, volunteerReader } from './volunteer.policy.ts';
import {
  presentAssignment,
  presentRequest,
  presentSignIn,
  presentUnit,
  presentVolunteer,
} from './volunteer.presenter.ts';
import * as repo from './volunteer.repository.ts';
import * as people from './volunteer-people.repository.ts';

export interface VolunteerServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
}

/** A phone's clock a little ahead of the server's is not a sign-in from the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

export type VolunteerService = ReturnType<typeof createVolunteerService>;

export function createVolunteerService(deps: VolunteerServiceDeps) {
  const { db, clock, audit } = deps;

  const reader = (actor: Actor) => volunteerReader(db, actor);

  async function unitFor(actor: Actor, unitId: number): Promise<repo.UnitView> {
    const unit = await repo.findUnit(db, await reader(actor), unitId);
    if (!unit) throw notFound(UNIT, unitId);
    return unit;
  }

  /** The unit, when the actor may change it: its contact, or an administrator whose scope holds it. */
  async function managedUnit(actor: Actor, unitId: number, action: LocalizedText): Promise<repo.UnitView> {
    assertRole(actor, ['administrator', 'unitContact'], action);
    return unitFor(actor, unitId);
  }

  async function requestFor(actor: Actor, id: number): Promise<repo.RequestView> {
    assertRole(actor, REQUEST_READER_ROLES, TEXT.readRequests);
    const row = await repo.findRequest(db, (await reader(actor)).scopes, id);
    if (!row) throw notFound(REQUEST, id);
    return row;
  }

  async function regionExists(actor: Actor, code: string): Promise<void> {
    if (!(await people.regionName(db, code))) {
      throw invalidFields(actor, [
        { path: 'regionCode', text: { zh: `区划 ${code} 不存在`, en: `no region ${code}` } },
      ]);
    }
  }

  /**
   * The tool a request names must serve its community: a campaign whose area holds the community (or lies
   * within it), a checkpoint standing in it. Refused under the field that names it.
   */
  async function checkTool(actor: Actor, input: RequestInput): Promise<void> {
    const community = input.regionCode;
    const overlaps = (code: string) => code.startsWith(community) || community.startsWith(code);
    if (input.visitCampaignId) {
      const area = await people.visitCampaignArea(db, input.visitCampaignId);
      if (!area?.some(overlaps))
        throw invalidFields(actor, [{ path: 'visitCampaignId', text: TEXT.campaignElsewhere }]);
    }
    if (input.checkpointId) {
      const grid = await people.checkpointGrid(db, input.checkpointId);
      if (!grid?.startsWith(community))
        throw invalidFields(actor, [{ path: 'checkpointId', text: TEXT.checkpointElsewhere }]);
    }
  }

  /** When a sign-in or out happened: as given (a phone that was offline), never in the future. */
  function instant(actor: Actor, at: string | undefined): Date {
    const now = clock.now();
    if (!at) return now;
    const when = new Date(at);
    if (when.getTime() > now.getTime() + CLOCK_SKEW_MS)
      throw invalidFields(actor, [{ path: 'at', text: TEXT.future }]);
    return when;
  }

  /**
   * The assignment, when the actor may sign it in or out: the community's staff (the request lies in their
   * scope) or the volunteer themself through their own account.
   */
  async function signableAssignment(actor: Actor, id: number): Promise<repo.AssignmentView> {
    assertRole(actor, [...COMMUNITY_ROLES, 'volunteer'], TEXT.sign);
    const row = await repo.findAssignment(db, id);
    if (!row) throw notFound(ASSIGNMENT, id);
    if (actor.role === 'volunteer') {
      const own = await repo.findVolunteerOfUser(db, actor.id);
      if (own?.id !== row.volunteer_id) throw notFound(ASSIGNMENT, id);
      return row;
    }
    const request = await repo.findRequest(db, (await reader(actor)).scopes, row.request_id);
    if (!request) throw notFound(ASSIGNMENT, id);
    return row;
  }

  return {
    /** Member units the actor may see: an administrator's or leader's scope, or a contact's own units. */
    async listUnits(
      actor: Actor,
      query: { q?: string | undefined; page: number; pageSize: number },
    ): Promise<UnitPage> {
      assertRole(actor, FIGURE_READER_ROLES, TEXT.readUnits);
      const { total, rows } = await repo.listUnits(db, await reader(actor), {
        q: query.q,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return { total, items: rows.map(presentUnit) };
    },

    async getUnit(actor: Actor, id: number): Promise<Unit> {
      assertRole(actor, FIGURE_READER_ROLES, TEXT.readUnits);
      return presentUnit(await unitFor(actor, id));
    },

    /** Registers a member unit of a region's 大党委 (or another body). */
    async createUnit(actor: Actor, input: UnitInput): Promise<Unit> {
      assertRole(actor, UNIT_ADMIN_ROLES, TEXT.writeUnits);
      assertInScope(actor, input.regionCode, UNIT);
      await regionExists(actor, input.regionCode);
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const created = await repo.insertUnit(trx, {
          name: input.name,
          kind: input.kind,
          region_code: input.regionCode,
          county_code: input.regionCode.slice(0, 6),
          contact_name: input.contactName ?? null,
          contact_phone: input.contactPhone ?? null,
          created_at: now,
          updated_at: now,
        });
        if (!created) throw new AppError('ALREADY_EXISTS', { entity: UNIT, id: input.name });
        await audit.record(trx, {
          actor,
          action: 'volunteers.unit.create',
          entityType: 'volunteer_unit',
          entityId: created,
          countyCode: input.regionCode.slice(0, 6),
          details: { regionCode: input.regionCode, name: input.name },
        });
        return created;
      });
      return presentUnit(await unitFor(actor, id));
    },

    /** Makes a user with the role unitContact a contact (联络员) of the unit. */
    async addUnitContact(actor: Actor, unitId: number, userId: number): Promise<Unit> {
      assertRole(actor, UNIT_ADMIN_ROLES, TEXT.writeUnits);
      const unit = await unitFor(actor, unitId);
      const user = await people.findUser(db, userId);
      if (user?.role !== 'unitContact' || !inScope(actor, user.region_code)) {
        throw invalidFields(actor, [{ path: 'userId', text: TEXT.notContact }]);
      }
      await db.transaction().execute(async (trx) => {
        await repo.addUnitContact(trx, unitId, userId);
        await audit.record(trx, {
          actor,
          action: 'volunteers.unit.contact',
          entityType: 'volunteer_unit',
          entityId: unitId,
          countyCode: unit.county_code,
          details: { regionCode: unit.region_code, userId },
        });
      });
      return presentUnit(unit);
    },

    async listVolunteers(actor: Actor, unitId: number): Promise<Volunteer[]> {
      assertRole(actor, FIGURE_READER_ROLES, TEXT.readUnits);
      await unitFor(actor, unitId);
      return (await repo.listVolunteers(db, unitId)).map(presentVolunteer);
    },

    /** Registers a volunteer of a unit (by its contact or an administrator). */
    async addVolunteer(actor: Actor, unitId: number, input: VolunteerInput): Promise<Volunteer> {
      const unit = await managedUnit(actor, unitId, TEXT.writeVolunteers);
      if (input.userId) {
        const user = await people.findUser(db, input.userId);
        const linked = await repo.findVolunteerOfUser(db, input.userId);
        if (user?.role !== 'volunteer' || linked) {
          throw invalidFields(actor, [{ path: 'userId', text: TEXT.notVolunteerAccount }]);
        }
      }
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const created = await repo.insertVolunteer(trx, {
          unit_id: unitId,
          name: input.name,
          phone: input.phone,
          id_number: input.idNumber ?? null,
          party_member: input.partyMember,
          party_member_id: input.partyMemberId ?? null,
          user_id: input.userId ?? null,
          created_at: now,
          updated_at: now,
        });
        await audit.record(trx, {
          actor,
          action: 'volunteers.volunteer.create',
          entityType: 'volunteer',
          entityId: created,
          countyCode: unit.county_code,
          details: { regionCode: unit.region_code, unitId },
        });
        return created;
      });
      return presentVolunteer((await repo.findVolunteer(db, id)) as repo.VolunteerView);
    },

    /**
     * A volunteer's phone or ID number in clear, for their unit's contact or an administrator over the unit. Logged
     * as the registry's reveals are, so it shows in the personal-data log.
     */
    async revealVolunteer(actor: Actor, id: number, field: 'phone' | 'idNumber') {
      const row = await repo.findVolunteer(db, id);
      if (!row) throw notFound(VOLUNTEER, id);
      const unit = await managedUnit(actor, row.unit_id, TEXT.reveal).catch(() => {
        throw notFound(VOLUNTEER, id);
      });
      const value = field === 'phone' ? row.phone : row.id_number;
      await audit.record(db, {
        actor,
        action: 'registry.reveal',
        entityType: 'volunteer',
        entityId: id,
        countyCode: unit.county_code,
        details: { regionCode: unit.region_code, recordIds: [id], fields: [field] },
      });
      return { field, value };
    },

    async listRequests(actor: Actor, query: RequestListQuery): Promise<RequestPage> {
      assertRole(actor, REQUEST_READER_ROLES, TEXT.readRequests);
      const { total, rows } = await repo.listRequests(db, (await reader(actor)).scopes, {
        regionPrefix: query.regionCode,
        from: query.from,
        to: query.to,
        openOnly: query.open === 'true',
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return { total, items: rows.map(presentRequest) };
    },

    /** A request with the units that sent people; a unit contact sees only their own units' volunteers. */
    async getRequest(actor: Actor, id: number): Promise<RequestDetail> {
      const row = await requestFor(actor, id);
      const { unitIds } = await reader(actor);
      const [units, assignments] = await Promise.all([
        repo.unitCounts(db, id),
        repo.listAssignments(db, id, unitIds),
      ]);
      return {
        ...presentRequest(row),
        units: units.map((u) => ({ unitId: u.unit_id, unitName: u.name, sent: u.sent })),
        assignments: assignments.map(presentAssignment),
      };
    },

    /** A community asks for people for a task on a day. */
    async createRequest(actor: Actor, input: RequestInput): Promise<RequestDetail> {
      assertRole(actor, COMMUNITY_ROLES, TEXT.writeRequests);
      assertInScope(actor, input.regionCode, REQUEST);
      await regionExists(actor, input.regionCode);
      await checkTool(actor, input);
      const id = await db.transaction().execute(async (trx) => {
        const created = await repo.insertRequest(trx, {
          region_code: input.regionCode,
          county_code: input.regionCode.slice(0, 6),
          kind: input.kind,
          title: input.title,
          place: input.place,
          day: input.day,
          start_time: input.startTime,
          end_time: input.endTime,
          wanted: input.wanted,
          note: input.note,
          visit_campaign_id: input.visitCampaignId ?? null,
          checkpoint_id: input.checkpointId ?? null,
          created_by: actor.id || null,
          created_at: clock.now(),
        });
        await audit.record(trx, {
          actor,
          action: 'volunteers.request.create',
          entityType: 'volunteer_request',
          entityId: created,
          countyCode: input.regionCode.slice(0, 6),
          details: { regionCode: input.regionCode, wanted: input.wanted, day: input.day },
        });
        return created;
      });
      return this.getRequest(actor, id);
    },

    /**
     * A unit sends named volunteers to a request, up to what is still wanted: the request row is locked while
     * counting, so two units sending at once cannot overfill it. Sending someone already sent is a no-op.
     */
    async sendVolunteers(
      actor: Actor,
      requestId: number,
      input: SendVolunteersInput,
    ): Promise<RequestDetail> {
      const unit = await managedUnit(actor, input.unitId, TEXT.send);
      const request = await repo.findRequest(db, (await reader(actor)).scopes, requestId);
      if (!request?.region_code.startsWith(unit.region_code)) throw notFound(REQUEST, requestId);
      if (request.cancelled) throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.cancelled });
      const ids = [...new Set(input.volunteerIds)];
      const found = new Set((await repo.activeVolunteersOfUnit(db, unit.id, ids)).map((v) => v.id));
      const missing = ids.findIndex((id) => !found.has(id));
      if (missing >= 0)
        throw invalidFields(actor, [{ path: `volunteerIds.${missing}`, text: TEXT.notOfUnit }]);
      await db.transaction().execute(async (trx) => {
        const filled = await repo.lockRequestFill(trx, requestId);
        const already = new Set(
          (await repo.listAssignments(trx, requestId, [unit.id])).map((a) => a.volunteer_id),
        );
        const fresh = ids.filter((id) => !already.has(id));
        if (filled + fresh.length > request.wanted) {
          throw new AppError('ILLEGAL_TRANSITION', {
            text: {
              zh: `该需求还需 ${Math.max(0, request.wanted - filled)} 人，本次派出 ${fresh.length} 人，超出需求`,
              en: `the request needs ${Math.max(0, request.wanted - filled)} more, ${fresh.length} were sent`,
            },
          });
        }
        if (!fresh.length) return;
        const now = clock.now();
        await repo.insertAssignments(
          trx,
          fresh.map((volunteerId) => ({
            request_id: requestId,
            unit_id: unit.id,
            volunteer_id: volunteerId,
            assigned_by: actor.id || null,
            assigned_at: now,
          })),
        );
        await audit.record(trx, {
          actor,
          action: 'volunteers.send',
          entityType: 'volunteer_request',
          entityId: requestId,
          countyCode: request.county_code,
          details: { regionCode: request.region_code, unitId: unit.id, volunteerIds: fresh },
        });
      });
      return this.getRequest(actor, requestId);
    },

    /** Signs a volunteer in at the community; signing in again keeps the first time. */
    async signIn(actor: Actor, assignmentId: number, at?: string) {
      const row = await signableAssignment(actor, assignmentId);
      const when = instant(actor, at);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.signIn(trx, assignmentId, when, actor.id || null))) return;
        await audit.record(trx, {
          actor,
          action: 'volunteers.sign-in',
          entityType: 'volunteer_assignment',
          entityId: assignmentId,
          details: { requestId: row.request_id, at: when.toISOString() },
        });
      });
      return presentAssignment((await repo.findAssignment(db, assignmentId)) as repo.AssignmentView);
    },

    /** Signs a volunteer out; only after signing in, and once. */
    async signOut(actor: Actor, assignmentId: number, at?: string) {
      const row = await signableAssignment(actor, assignmentId);
      if (!row.signed_in_at) throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.notSignedIn });
      const when = instant(actor, at);
      if (when < row.signed_in_at) throw invalidFields(actor, [{ path: 'at', text: TEXT.beforeSignIn }]);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.signOut(trx, assignmentId, when, actor.id || null))) return;
        await audit.record(trx, {
          actor,
          action: 'volunteers.sign-out',
          entityType: 'volunteer_assignment',
          entityId: assignmentId,
          details: { requestId: row.request_id, at: when.toISOString() },
        });
      });
      return presentAssignment((await repo.findAssignment(db, assignmentId)) as repo.AssignmentView);
    },

    /**
     * The request the user's volunteer is signed in to and has not signed out of, or null: the reach of a
     * volunteer account (people/actor.ts). It follows the sign-in, not the calendar: a shift signed in at 22:00
     * keeps its reach after midnight, for a request of today or yesterday (`taskInReach`).
     */
    async openTask(userId: number): Promise<VolunteerTask | null> {
      const today = shanghaiDay(clock.now());
      const row = await repo.openTaskOfUser(db, userId, { from: firstReachDay(today), to: today });
      if (!row) return null;
      return {
        assignmentId: row.assignment_id,
        requestId: row.request_id,
        regionCode: row.region_code,
        regionName: row.region_name,
        kind: row.kind,
        visitCampaignId: row.visit_campaign_id,
        checkpointId: row.checkpoint_id,
      };
    },

    /** A volunteer's own tasks from yesterday on: those still in reach (an evening shift may end after midnight). */
    async myTasks(actor: Actor): Promise<MyTask[]> {
      assertRole(actor, ['volunteer'], TEXT.myTasks);
      const own = await repo.findVolunteerOfUser(db, actor.id);
      if (!own) return [];
      const rows = await repo.assignmentsOfVolunteer(db, own.id, firstReachDay(shanghaiDay(clock.now())));
      const tasks: MyTask[] = [];
      for (const row of rows) {
        // The volunteer's own assignment: its request is theirs to read, wherever it is.
        const request = await repo.findRequest(db, [unscoped('a volunteer’s own task')], row.request_id);
        if (request) tasks.push({ assignment: presentAssignment(row), request: presentRequest(request) });
      }
      return tasks;
    },

    /** Person-times (人次) and hours by unit, community or month, within the reader's scope. */
    async figures(actor: Actor, query: FigureQuery): Promise<Figures> {
      assertRole(actor, FIGURE_READER_ROLES, TEXT.readFigures);
      const { rows, totals } = await repo.figures(db, await reader(actor), query.by, query, query.limit);
      return {
        by: query.by,
        totals: {
          personTimes: totals.person_times,
          partyMemberTimes: totals.party_times,
          volunteers: totals.volunteers,
          hours: totals.hours,
          units: totals.units,
        },
        rows: rows.map((r) => ({
          key: r.key,
          name: r.name,
          personTimes: r.person_times,
          partyMemberTimes: r.party_times,
          volunteers: r.volunteers,
          hours: r.hours,
        })),
      };
    },

    /** The sign-ins behind a figure (drill-down). */
    async listSignIns(actor: Actor, query: SignInListQuery): Promise<SignInPage> {
      assertRole(actor, FIGURE_READER_ROLES, TEXT.readFigures);
      const { total, rows } = await repo.listSignIns(db, await reader(actor), {
        ...query,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return { total, items: rows.map(presentSignIn) };
    },
  };
}
