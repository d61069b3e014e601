import type { z } from 'zod';
import {
  PARTY_READER_ROLES,
  PARTY_REVEAL_ROLES,
  PARTY_WRITER_ROLES,
  type PartyFigureGroup,
  type PartyFigureRow,
  type PartyFigures,
  type PartyFilter,
  type PartyImportReport,
  type PartyMember,
  type PartyOutcome,
  type PartyPost,
  type partyMemberImportSchema,
} from '../../../shared/party.ts';
import { maskIdNumber, maskPhone } from '../../../shared/registry-validation.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertInScope, assertRole, inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope, type Scope } from '../people/scope.ts';
import * as party from './party.repository.ts';

export interface PartyServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
}

export type PartyService = ReturnType<typeof createPartyService>;

const TEXT = {
  read: { zh: '查看党员和岗位', en: 'view party members and posts' },
  write: { zh: '导入党员', en: 'import party members' },
  reveal: { zh: '查看党员完整的身份证号或电话', en: 'see a party member’s full ID number or phone' },
  member: { zh: '党员', en: 'Party member' },
  branchUnknown: {
    zh: '党支部代码 {code} 不存在或不在您的范围内',
    en: 'Branch {code} does not exist or is outside your scope',
  },
  postUnknown: {
    zh: '岗位代码 {code} 不存在或不属于该党支部',
    en: 'Post {code} does not exist or is not the branch’s',
  },
  repeated: { zh: '身份证号在文件中重复', en: 'The ID number is repeated in the file' },
} as const;

const fill = (text: { zh: string; en: string }, code: string, locale: Actor['locale']) =>
  (locale === 'en-US' ? text.en : text.zh).replace('{code}', code);

/** Party members in their posts (设岗定责), their reports and the figures of both, within data scopes. */
export function createPartyService(deps: PartyServiceDeps) {
  const { db, audit } = deps;

  function readScope(actor: Actor, region: string | undefined): Scope {
    assertRole(actor, PARTY_READER_ROLES, TEXT.read);
    const scope = regionScope(actor);
    if (!region) return scope;
    assertInScope(actor, region, region);
    return narrowScope(scope, region);
  }

  function presentMember(row: Awaited<ReturnType<typeof party.listMembers>>['items'][number]): PartyMember {
    return {
      id: row.id,
      name: row.name,
      idNumber: maskIdNumber(row.id_number),
      phone: row.phone ? maskPhone(row.phone) : null,
      branch: { id: row.branch_id, code: row.branch_code, name: row.branch_name },
      partyGrid: row.party_grid_code ? { code: row.party_grid_code, name: row.grid_name ?? '' } : null,
      post:
        row.post_id && row.post_code && row.post_name && row.post_kind
          ? { id: row.post_id, code: row.post_code, name: row.post_name, kind: row.post_kind }
          : null,
      regionCode: row.region_code,
      regionName: row.region_name,
      residentId: row.resident_id,
      hasAccount: row.user_id !== null,
      joinedOn: row.joined_on,
      issues: Number(row.issues ?? 0),
      synthetic: row.synthetic,
    };
  }

  async function listMembers(
    actor: Actor,
    query: PartyFilter & { q?: string | undefined; limit: number; offset: number },
  ) {
    const scope = readScope(actor, query.region);
    const page = await party.listMembers(db, { ...query, scope }, query);
    return { total: page.total, items: page.items.map(presentMember) };
  }

  /** A member's ID number or phone in clear, for administrators; recorded like the registry's reveals. */
  async function revealMember(actor: Actor, id: number, field: 'idNumber' | 'phone') {
    assertRole(actor, PARTY_REVEAL_ROLES, TEXT.reveal);
    const member = await party.findMember(db, id);
    if (!member) throw notFound(TEXT.member, id);
    assertInScope(actor, member.region_code, member.name);
    await audit.record(db, {
      actor,
      action: 'party.reveal',
      entityType: 'partyMember',
      entityId: id,
      countyCode: member.region_code.slice(0, 6),
      details: { regionCode: member.region_code, recordIds: [id], fields: [field] },
    });
    return { field, value: field === 'idNumber' ? member.id_number : member.phone };
  }

  async function listPosts(actor: Actor, query: PartyFilter): Promise<PartyPost[]> {
    const scope = readScope(actor, query.region);
    const { posts, holders } = await party.listPosts(db, { ...query, scope });
    return posts.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      kind: p.kind,
      duties: p.duties,
      branch: { id: p.branch_id, name: p.branch_name },
      partyGrid: p.party_grid_code ? { code: p.party_grid_code, name: p.grid_name ?? '' } : null,
      regionName: p.region_name,
      holders: holders.filter((h) => h.post_id === p.id).map((h) => ({ id: h.id, name: h.name })),
      issues: Number(p.issues ?? 0),
    }));
  }

  /** Members, posts (filled), issues reported and their outcomes per branch, party grid or post. */
  async function getFigures(
    actor: Actor,
    query: { region?: string | undefined; by: PartyFigureGroup },
  ): Promise<PartyFigures> {
    const scope = readScope(actor, query.region);
    const { members, posts, issues } = await party.figures(db, scope, query.by);
    const keys = [...new Set([...members, ...posts, ...issues].map((r) => r.key).filter((k) => k !== null))];
    const names = new Map<string, { code: string; name: string; regionName: string }>();
    if (query.by === 'grid') {
      for (const g of await party.gridNames(db, keys))
        names.set(g.code, { code: g.code, name: g.name, regionName: g.region_name });
    } else {
      const ids = keys.map(Number);
      const found = query.by === 'branch' ? await party.branchNames(db, ids) : await party.postNames(db, ids);
      for (const r of found)
        names.set(String(r.id), { code: r.code, name: r.name, regionName: r.region_name });
    }
    const empty = (key: string): PartyFigureRow => ({
      key,
      code: names.get(key)?.code ?? key,
      name: names.get(key)?.name ?? '—',
      regionName: names.get(key)?.regionName ?? '',
      members: 0,
      posts: 0,
      postsFilled: 0,
      issues: 0,
      closed: 0,
      open: 0,
      rejected: 0,
    });
    const rows = new Map<string, PartyFigureRow>();
    const row = (key: string | null) => {
      const k = key ?? '—';
      const found = rows.get(k) ?? empty(k);
      rows.set(k, found);
      return found;
    };
    for (const m of members) row(m.key).members += Number(m.n);
    for (const p of posts) {
      row(p.key).posts += Number(p.n);
      row(p.key).postsFilled += Number(p.filled);
    }
    for (const i of issues) {
      const r = row(i.key);
      r.issues += Number(i.n);
      r.closed += Number(i.closed);
      r.rejected += Number(i.rejected);
      r.open += Number(i.n) - Number(i.closed) - Number(i.rejected);
    }
    const list = [...rows.values()].sort(
      (a, b) => b.issues - a.issues || b.members - a.members || a.code.localeCompare(b.code),
    );
    const total: PartyFigureRow = { ...empty('total'), code: '', name: actor.scopeName || '—' };
    for (const r of list) {
      for (const key of [
        'members',
        'posts',
        'postsFilled',
        'issues',
        'closed',
        'open',
        'rejected',
      ] as const) {
        total[key] += r[key];
      }
    }
    return { total, by: query.by, rows: list, synthetic: await party.anySynthetic(db) };
  }

  async function listReports(
    actor: Actor,
    query: PartyFilter & {
      memberId?: number | undefined;
      outcome?: PartyOutcome | undefined;
      limit: number;
      offset: number;
    },
  ) {
    const scope = readScope(actor, query.region);
    const page = await party.listReports(db, { ...query, scope }, query);
    return {
      total: page.total,
      items: page.items.map((r) => ({
        caseId: Number(r.id),
        caseNumber: r.case_number,
        description: r.description,
        state: r.state,
        outcome: (r.state === 'closed'
          ? 'closed'
          : r.state === 'rejected' || r.state === 'merged'
            ? 'rejected'
            : 'open') as PartyOutcome,
        reportedAt: r.reported_at.toISOString(),
        member: { id: r.member_id, name: r.member_name },
        post: r.post_id && r.post_name ? { id: r.post_id, name: r.post_name } : null,
        regionCode: r.region_code,
        regionName: r.region_name,
      })),
    };
  }

  /**
   * Imports members, found again by ID number: each is placed in its branch's region, takes the post named (of
   * that branch) and is linked to the registry's resident with the same ID number. All rows or none.
   */
  async function importMembers(
    actor: Actor,
    input: z.infer<typeof partyMemberImportSchema>,
  ): Promise<PartyImportReport> {
    assertRole(actor, PARTY_WRITER_ROLES, TEXT.write);
    const branchCodes = [...new Set(input.members.map((m) => m.branchCode))];
    const postCodes = [...new Set(input.members.flatMap((m) => (m.postCode ? [m.postCode] : [])))];
    const idNumbers = input.members.map((m) => m.idNumber.toUpperCase());
    const { branches, posts, existing, residents } = await party.importLookups(db, {
      branchCodes,
      postCodes,
      idNumbers,
    });
    const errors: PartyImportReport['errors'] = [];
    const seen = new Set<string>();
    const rows = input.members.flatMap((m, index) => {
      const line = index + 1;
      const idNumber = m.idNumber.toUpperCase();
      const branch = branches.find((b) => b.code === m.branchCode);
      const post = m.postCode ? posts.find((p) => p.code === m.postCode) : undefined;
      if (seen.has(idNumber)) errors.push({ line, reason: fill(TEXT.repeated, idNumber, actor.locale) });
      seen.add(idNumber);
      if (!branch || !inScope(actor, branch.region_code)) {
        errors.push({ line, reason: fill(TEXT.branchUnknown, m.branchCode, actor.locale) });
        return [];
      }
      if (m.postCode && (!post || post.branch_id !== branch.id)) {
        errors.push({ line, reason: fill(TEXT.postUnknown, m.postCode, actor.locale) });
        return [];
      }
      return [
        {
          id_number: idNumber,
          name: m.name,
          phone: m.phone ?? null,
          branch_id: branch.id,
          post_id: post?.id ?? null,
          party_grid_code: post?.party_grid_code ?? branch.party_grid_code,
          region_code: branch.region_code,
          resident_id: residents.find((r) => r.id_number === idNumber)?.id ?? null,
          joined_on: m.joinedOn ?? null,
        },
      ];
    });
    const updated = rows.filter((r) => existing.some((e) => e.id_number === r.id_number)).length;
    const report: PartyImportReport = {
      applied: false,
      total: input.members.length,
      created: rows.length - updated,
      updated,
      linkedToResidents: rows.filter((r) => r.resident_id !== null).length,
      errors,
    };
    if (errors.length) throw new AppError('IMPORT_REJECTED', { count: errors.length }, report);
    if (input.dryRun) return report;
    await db.transaction().execute(async (trx) => {
      await party.upsertMembers(trx, rows, deps.clock.now());
      await audit.record(trx, {
        actor,
        action: 'party.members.import',
        entityType: 'partyMember',
        entityId: '',
        details: { total: report.total, created: report.created, updated, linked: report.linkedToResidents },
      });
    });
    return { ...report, applied: true };
  }

  /**
   * For the case intake: a report by a party member's account is kept with the member and their post, in the
   * report's transaction. Other actors' reports keep nothing here.
   */
  function reportAlongside(actor: Actor) {
    if (actor.role !== 'partyMember' || actor.system) return undefined;
    return async (trx: Db, caseId: number) => {
      const member = await party.findMemberByUser(trx, actor.id);
      if (!member) return;
      await party.insertCaseReport(trx, {
        case_id: caseId,
        member_id: member.id,
        post_id: member.post_id,
        region_code: member.region_code,
        reported_at: deps.clock.now(),
      });
    };
  }

  /**
   * Links party members to the registry's residents where they live in the town, once the registry is there:
   * by ID number, and the demo's synthetic members to adult residents of their village (see the repository).
   * Run after a registry load (the demo's registry job); a second run links nothing new.
   */
  async function linkMembersToResidents(actor: Actor) {
    // Town-wide and run by the registry job: no user's scope covers it.
    assertRole(actor, actor.system ? PARTY_WRITER_ROLES : [], TEXT.write);
    const now = deps.clock.now();
    // Party members are 18 or older (党章 art. 1).
    const bornBy = `${now.getUTCFullYear() - 18}${now.toISOString().slice(4, 10)}`;
    return db.transaction().execute(async (trx) => {
      const linked = await party.linkMembersToResidents(trx, { bornBy, now });
      if (linked.byIdNumber + linked.picked > 0) {
        await audit.record(trx, {
          actor,
          action: 'party.members.link',
          entityType: 'partyMember',
          entityId: '',
          details: linked,
        });
      }
      return linked;
    });
  }

  return {
    listMembers,
    revealMember,
    listPosts,
    getFigures,
    listReports,
    importMembers,
    reportAlongside,
    linkMembersToResidents,
  };
}
