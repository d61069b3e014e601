import { type Insertable, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  ChecklistItemRow,
  InspectionAnswerTable,
  InspectionCampaignRow,
  InspectionVisitTable,
} from './inspection.table.ts';

/** A campaign with what its policy needs: the inspectors named on it. */
export async function findCampaign(
  db: Db,
  id: number,
): Promise<(InspectionCampaignRow & { inspector_ids: number[] }) | undefined> {
  const row = await db.selectFrom('inspection_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const inspectors = await db
    .selectFrom('campaign_inspectors')
    .select('user_id')
    .where('campaign_id', '=', id)
    .execute();
  return { ...row, inspector_ids: inspectors.map((i) => i.user_id) };
}

export function findRound(db: Db, id: number) {
  return db.selectFrom('campaign_rounds').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The items of a template version, in their order. */
export function listItems(db: Db, templateId: number): Promise<ChecklistItemRow[]> {
  return db
    .selectFrom('checklist_items')
    .selectAll()
    .where('template_id', '=', templateId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function findVisitIdByClientKey(db: Db, clientKey: string) {
  return db
    .selectFrom('inspection_visits')
    .select(['id', 'inspector_id'])
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
}

export function findVisitIdOfRoundTarget(db: Db, roundId: number, targetId: number) {
  return db
    .selectFrom('inspection_visits')
    .select(['id', 'notice_number'])
    .where('round_id', '=', roundId)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
}

/** Inserts the visit; undefined when its client key or its round and target were taken meanwhile. */
export async function insertVisit(
  trx: Db,
  visit: Insertable<InspectionVisitTable>,
): Promise<number | undefined> {
  const row = await trx
    .insertInto('inspection_visits')
    .values(visit)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function insertAnswers(
  trx: Db,
  answers: readonly Insertable<InspectionAnswerTable>[],
): Promise<void> {
  if (answers.length)
    await trx
      .insertInto('inspection_answers')
      .values([...answers])
      .execute();
}

export async function setAnswerCase(trx: Db, visitId: number, itemId: number, caseId: number): Promise<void> {
  await trx
    .updateTable('inspection_answers')
    .set({ case_id: caseId })
    .where('visit_id', '=', visitId)
    .where('item_id', '=', itemId)
    .execute();
}

/** A visit with the names a page or a notice shows: campaign, round, target. */
export function findVisit(db: Db, id: number) {
  return db
    .selectFrom('inspection_visits as v')
    .innerJoin('inspection_campaigns as c', 'c.id', 'v.campaign_id')
    .innerJoin('campaign_rounds as r', 'r.id', 'v.round_id')
    .innerJoin('campaign_targets as t', 't.id', 'v.target_id')
    .selectAll('v')
    .select([
      'c.name as campaign_name',
      'r.number as round_number',
      'r.kind as round_kind',
      't.name as target_name',
      't.address as target_address',
      't.site_type',
      't.region_code as target_region_code',
      't.lon as target_lon',
      't.lat as target_lat',
    ])
    .where('v.id', '=', id)
    .executeTakeFirst();
}
export type VisitWithNames = NonNullable<Awaited<ReturnType<typeof findVisit>>>;

/**
 * A visit's answers with their items and the rectification case each failure became (its number, state and due
 * time, read here so that the notice needs no look-up per case).
 */
export function listAnswers(db: Db, visitId: number) {
  return db
    .selectFrom('inspection_answers as a')
    .innerJoin('checklist_items as i', 'i.id', 'a.item_id')
    .leftJoin('cases as k', 'k.id', 'a.case_id')
    .selectAll('a')
    .select([
      'i.key',
      'i.section',
      'i.question',
      'i.guidance',
      'i.points',
      'i.veto',
      'i.immediate',
      'i.position',
      'k.case_number',
      'k.state as case_state',
      'k.handling_deadline',
      'k.step_due_at',
      'k.rework_count',
      'k.version as case_version',
    ])
    .where('a.visit_id', '=', visitId)
    .orderBy('i.position')
    .orderBy('i.id')
    .execute();
}
export type AnswerWithItem = Awaited<ReturnType<typeof listAnswers>>[number];

export function listReinspections(db: Db, visitId: number) {
  return db
    .selectFrom('reinspections as r')
    .innerJoin('checklist_items as i', 'i.id', 'r.item_id')
    .selectAll('r')
    .select('i.key as item_key')
    .where('r.visit_id', '=', visitId)
    .orderBy('r.at')
    .orderBy('r.id')
    .execute();
}

export async function insertReinspection(
  trx: Db,
  row: {
    visit_id: number;
    item_id: number;
    case_id: number;
    inspector_id: number | null;
    inspector_name: string;
    outcome: 'pass' | 'fail';
    note: string;
    evidence: string[];
    at: Date;
  },
): Promise<number> {
  const inserted = await trx
    .insertInto('reinspections')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * The open rectification cases of a target's earlier visits in a campaign, by item: what a re-inspection round
 * re-inspects. The latest visit's case wins when an item failed more than once.
 */
export function listOpenCasesOfTarget(db: Db, campaignId: number, targetId: number, beforeVisitId: number) {
  return db
    .selectFrom('inspection_answers as a')
    .innerJoin('inspection_visits as v', 'v.id', 'a.visit_id')
    .innerJoin('cases as k', 'k.id', 'a.case_id')
    .select(['a.visit_id', 'a.item_id', 'a.case_id', 'k.state', 'k.version'])
    .where('v.campaign_id', '=', campaignId)
    .where('v.target_id', '=', targetId)
    .where('v.id', '<', beforeVisitId)
    .where('k.state', 'not in', ['closed', 'rejected', 'merged'])
    .orderBy('v.id', 'desc')
    .execute();
}

/** A case's state and version, to act on it with the version the re-inspector saw. */
export function findCaseState(db: Db, caseId: number) {
  return db
    .selectFrom('cases')
    .select(['id', 'state', 'version', 'case_number'])
    .where('id', '=', caseId)
    .executeTakeFirst();
}

export function findTemplate(db: Db, id: number) {
  return db
    .selectFrom('checklist_templates')
    .select(['id', 'name', 'version'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Whether an item of a visit was re-inspected for this case already (a replayed round visit). */
export async function hasReinspection(
  db: Db,
  visitId: number,
  itemId: number,
  caseId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('reinspections')
    .select('id')
    .where('visit_id', '=', visitId)
    .where('item_id', '=', itemId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the visit names the photo: an answer's, its signature, or one of its re-inspections'. */
export async function visitNamesEvidence(db: Db, visitId: number, sha256: string): Promise<boolean> {
  const { rows } = await sql<{ named: boolean }>`
    select exists (
      select 1 from inspection_visits v where v.id = ${visitId} and v.signature = ${sha256}
      union all
      select 1 from inspection_answers a where a.visit_id = ${visitId} and ${sha256} = any(a.evidence)
      union all
      select 1 from reinspections r where r.visit_id = ${visitId} and ${sha256} = any(r.evidence)
    ) as named`.execute(db);
  return rows[0]?.named === true;
}

/**
 * The failed items awaiting the user's re-inspection, in one query: answers whose rectification case awaits
 * verification (handled), of campaigns the user inspects or organises (campaign.policy canVisit), with when and
 * how the department reported it rectified. A case a re-inspection round's visit answered again is listed once,
 * under the visit that found the failure.
 */
export function listReinspectionsToMake(db: Db, userId: number) {
  return db
    .selectFrom('inspection_answers as a')
    .innerJoin('inspection_visits as v', 'v.id', 'a.visit_id')
    .innerJoin('inspection_campaigns as c', 'c.id', 'v.campaign_id')
    .innerJoin('campaign_targets as t', 't.id', 'v.target_id')
    .innerJoin('checklist_items as i', 'i.id', 'a.item_id')
    .innerJoin('cases as k', 'k.id', 'a.case_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('case_events as e')
          .select(['e.at', 'e.note'])
          .whereRef('e.case_id', '=', 'k.id')
          // The step that handled it: entries that keep the state (a 督办, a recomputed due) are not.
          .where('e.action', 'in', ['finish', 'handleOnTheSpot'])
          .where('e.to_state', '=', 'handled')
          .orderBy('e.at', 'desc')
          .orderBy('e.id', 'desc')
          .limit(1)
          .as('h'),
      (join) => join.onTrue(),
    )
    .where('a.outcome', '=', 'fail')
    .where('k.state', '=', 'handled')
    .where((eb) =>
      eb.or([
        eb('c.organiser_id', '=', userId),
        eb.exists(
          eb
            .selectFrom('campaign_inspectors as ci')
            .select('ci.user_id')
            .whereRef('ci.campaign_id', '=', 'c.id')
            .where('ci.user_id', '=', userId),
        ),
      ]),
    )
    .distinctOn('a.case_id')
    .select([
      'a.case_id',
      'a.note',
      'a.evidence',
      'v.id as visit_id',
      'v.notice_number',
      'v.inspector_name',
      'v.visited_at',
      'c.id as campaign_id',
      'c.name as campaign_name',
      't.name as target_name',
      't.address as target_address',
      't.lon',
      't.lat',
      'i.key as item_key',
      'i.section',
      'i.question',
      'i.rule',
      'i.comparator',
      'i.threshold',
      'i.unit',
      'i.guidance',
      'k.case_number',
      'k.rework_count',
      'h.at as handled_at',
      'h.note as handled_note',
    ])
    .orderBy('a.case_id')
    .orderBy('v.id')
    .execute();
}
