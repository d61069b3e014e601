import type { z } from 'zod';
import {
  BULLETIN_WRITER_ROLES,
  type Bulletin,
  type BulletinFormat,
  type BulletinListItem,
  type BulletinListQuery,
  type BulletinPage,
  type BulletinText,
  type BulletinUpdateInput,
  type bulletinGenerateSchema,
} from '../../../shared/bulletins.ts';
import type { LocalizedText } from '../../../shared/errors.ts';
import { INDICATOR_READER_ROLES } from '../../../shared/evaluation.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, type Scope, scopeHoldsRegion } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import * as bulletins from './bulletin.repository.ts';
import { type ContentDeps, gatherContent } from './bulletin-content.ts';
import { renderBulletin } from './bulletin-documents/index.ts';
import { defaultText, lastWeek } from './bulletin-text.ts';
import { shanghaiDate } from './indicator-period.ts';

export type BulletinGenerateInput = z.output<typeof bulletinGenerateSchema>;

const BULLETIN: LocalizedText = { zh: '通报', en: 'Bulletin' };
const TEXT = {
  read: { zh: '查看通报', en: 'read bulletins' },
  write: { zh: '生成、修改或发布通报', en: 'generate, edit or publish bulletins' },
  published: {
    zh: '该通报已发布，内容已冻结，不能再修改或重新发布。如需更正，请生成新一期通报。',
    en: 'This bulletin is published and frozen: it can no longer be edited or published again. Generate a new one to correct it.',
  },
  region: {
    zh: '通报范围应为镇（街道）或村（社区），不能是网格',
    en: 'a bulletin covers a town or a village, not a grid',
  },
  needRegion: { zh: '请指定通报的区划（regionCode）', en: 'name the area of the bulletin (regionCode)' },
} as const;

const CONTENT_TYPES: Record<BulletinFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface BulletinFile {
  bytes: Buffer;
  contentType: string;
  fileName: string;
  asciiName: string;
}

export type BulletinService = ReturnType<typeof createBulletinService>;

/**
 * Bulletins (通报): generated from the rankings for a period and an area, edited (the prose only), published
 * and then frozen. Writers (administrator, leader, dispatcher) act within their scope; inspectors read. A
 * bulletin outside the reader's scope does not exist for them (404).
 */
export function createBulletinService(
  deps: ContentDeps & {
    db: Db;
    clock: Clock;
    audit: Pick<AuditService, 'record'>;
    territory: Pick<TerritoryService, 'getRegionTree'>;
  },
) {
  const { db, clock, audit, territory } = deps;

  function scopeOf(actor: Actor, roles: readonly string[], action: LocalizedText): Scope {
    assertRole(actor, roles as never, action);
    const scope = regionScope(actor);
    if (scope.kind === 'nothing')
      throw new AppError('FORBIDDEN_SCOPE', { target: BULLETIN, scope: { zh: '无', en: 'none' } });
    return scope;
  }

  function invalid(path: string, message: LocalizedText, actor: Actor): AppError {
    const text = actor.locale === 'en-US' ? message.en : message.zh;
    return new AppError('VALIDATION_FAILED', { summary: text }, { issues: [{ path, message: text }] });
  }

  async function found(actor: Actor, id: number, roles: readonly string[], action: LocalizedText) {
    const row = await bulletins.findBulletin(db, scopeOf(actor, roles, action), id);
    if (!row) throw notFound(BULLETIN, id);
    return row;
  }

  /** The reader as the bulletin's area sees it: the same role, the scope narrowed to the area. */
  function narrowed(actor: Actor, code: string, name: string): Actor {
    const { system: _system, ...user } = actor;
    return { ...user, scopeCode: code, scopeName: name };
  }

  async function generate(actor: Actor, input: BulletinGenerateInput): Promise<Bulletin> {
    const scope = scopeOf(actor, BULLETIN_WRITER_ROLES, TEXT.write);
    const code = input.regionCode ?? actor.scopeCode;
    if (!code) throw invalid('regionCode', TEXT.needRegion, actor);
    if (code.length > 12) throw invalid('regionCode', TEXT.region, actor);
    if (!scopeHoldsRegion(scope, code))
      throw new AppError('FORBIDDEN_SCOPE', { target: code, scope: actor.scopeName || actor.scopeCode });
    const area = await territory.getRegionTree(actor, { root: code, depth: 0 });
    const now = clock.now();
    const period = input.from && input.to ? { from: input.from, to: input.to } : lastWeek(shanghaiDate(now));
    const language = actor.locale === 'en-US' ? 'en' : 'zh';
    const content = await gatherContent(deps, narrowed(actor, area.code, area.name), { period, language });
    const text = defaultText(content, input.office);
    const year = Number(shanghaiDate(now).slice(0, 4));
    // Two writers numbering the same area at once: the unique (region, year, seq) refuses one; it takes the next.
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction().execute(async (trx) => {
          const seq = await bulletins.nextSeq(trx, area.code, year);
          const row = await bulletins.insertBulletin(trx, {
            regionCode: area.code,
            year,
            seq,
            period,
            content,
            text,
            createdBy: actor.system ? null : actor.id,
            createdByName: actor.name,
            at: now,
          });
          await audit.record(trx, {
            actor,
            action: 'bulletin.create',
            entityType: 'bulletin',
            entityId: row.id,
            countyCode: area.code.slice(0, 6),
            details: { regionCode: area.code, ...period, year, seq, scheme: content.scheme.version },
          });
          return present(row);
        });
      } catch (error) {
        if (attempt < 2 && (error as { code?: string }).code === '23505') continue;
        throw error;
      }
    }
  }

  async function list(actor: Actor, query: BulletinListQuery): Promise<BulletinPage> {
    const scope = scopeOf(actor, INDICATOR_READER_ROLES, TEXT.read);
    const { rows, total } = await bulletins.listBulletins(db, scope, {
      status: query.status,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: rows.map(presentListItem), total, page: query.page, pageSize: query.pageSize };
  }

  async function get(actor: Actor, id: number): Promise<Bulletin> {
    return present(await found(actor, id, INDICATOR_READER_ROLES, TEXT.read));
  }

  function refuseChange(row: bulletins.BulletinRow, version: number): never {
    if (row.status === 'published') throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.published });
    throw new AppError('CONFLICT', { entity: BULLETIN, current: row.version }, { version });
  }

  /** Edits a draft's prose; the figures and tables stay as computed. */
  async function update(actor: Actor, id: number, input: BulletinUpdateInput): Promise<Bulletin> {
    const row = await found(actor, id, BULLETIN_WRITER_ROLES, TEXT.write);
    if (row.status === 'published' || row.version !== input.version) refuseChange(row, input.version);
    const { version, ...changes } = input;
    const text: BulletinText = { ...row.text, ...changes };
    return db.transaction().execute(async (trx) => {
      const updated = await bulletins.updateDraftText(trx, id, version, text, clock.now());
      if (!updated) refuseChange((await bulletins.findBulletin(trx, regionScope(actor), id)) ?? row, version);
      await audit.record(trx, {
        actor,
        action: 'bulletin.edit',
        entityType: 'bulletin',
        entityId: id,
        countyCode: row.region_code.slice(0, 6),
        details: { fields: Object.keys(changes) },
      });
      return present(updated);
    });
  }

  /** Publishes a draft: from now on its content, text and files never change. */
  async function publish(actor: Actor, id: number, version: number): Promise<Bulletin> {
    const row = await found(actor, id, BULLETIN_WRITER_ROLES, TEXT.write);
    if (row.status === 'published' || row.version !== version) refuseChange(row, version);
    return db.transaction().execute(async (trx) => {
      const published = await bulletins.publishDraft(trx, id, version, actor.name, clock.now());
      if (!published)
        refuseChange((await bulletins.findBulletin(trx, regionScope(actor), id)) ?? row, version);
      await audit.record(trx, {
        actor,
        action: 'bulletin.publish',
        entityType: 'bulletin',
        entityId: id,
        countyCode: row.region_code.slice(0, 6),
        details: { year: row.year, seq: row.seq, scheme: row.content.scheme.version },
      });
      return present(published);
    });
  }

  /**
   * The bulletin as a file, made from its stored content and text alone. A published bulletin's files carry
   * its publishing instant as their dates, so they are the same bytes every time; a draft's carry its last
   * change.
   */
  async function document(actor: Actor, id: number, format: BulletinFormat): Promise<BulletinFile> {
    const bulletin = present(await found(actor, id, INDICATOR_READER_ROLES, TEXT.read));
    const bytes = await renderBulletin(bulletin, format);
    const base = `${bulletin.text.title}${bulletin.year}-${String(bulletin.seq).padStart(2, '0')}`;
    return {
      bytes,
      contentType: CONTENT_TYPES[format],
      fileName: `${base}${bulletin.status === 'draft' ? '（草稿）' : ''}.${format}`,
      asciiName: `bulletin-${bulletin.year}-${bulletin.seq}${bulletin.status === 'draft' ? '-draft' : ''}.${format}`,
    };
  }

  return { generate, list, get, update, publish, document };
}

function present(row: bulletins.BulletinRow): Bulletin {
  return {
    id: row.id,
    regionCode: row.region_code,
    status: row.status,
    year: row.year,
    seq: row.seq,
    issuedOn: shanghaiDate(row.published_at ?? row.created_at),
    version: row.version,
    text: row.text,
    content: row.content,
    createdBy: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    publishedBy: row.published_by_name,
    publishedAt: row.published_at?.toISOString() ?? null,
  };
}

function presentListItem(row: bulletins.BulletinListRow): BulletinListItem {
  return {
    id: row.id,
    regionCode: row.region_code,
    status: row.status,
    year: row.year,
    seq: row.seq,
    issuedOn: shanghaiDate(row.published_at ?? row.created_at),
    version: row.version,
    createdBy: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    publishedBy: row.published_by_name,
    publishedAt: row.published_at?.toISOString() ?? null,
    title: row.text.title,
    office: row.text.office,
    scopeName: row.scope_name,
    from: row.period_from,
    to: row.period_to,
  };
}
