import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { createOpen311KeySchema, Open311Key, Open311KeyCreated } from '../../../shared/open311.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import { createTtlCache } from '../../ttl-cache.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import * as repository from './open311.repository.ts';
import type { Open311KeyRow } from './open311.table.ts';

export type CreateKeyInput = z.infer<typeof createOpen311KeySchema>;

const MANAGE_KEYS = { zh: '管理 Open311 接入密钥', en: 'manage Open311 api keys' };
const ENTITY_KEY = { zh: 'Open311 接入密钥', en: 'Open311 api key' };
const KEY_PREFIX = 'g311_';
const SHOWN_PREFIX = 12;

/** A key that authenticated a request: who the client is, and the actor its writes are made as. */
export interface Open311Client {
  keyId: number;
  name: string;
  prefix: string;
  rateLimitPerMinute: number;
  actor: Actor;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

/**
 * Api keys of Open311 client applications: issued, listed and revoked by administrators, each within their
 * scope. Only the SHA-256 of a key is stored; the key is shown once, when it is issued.
 */
export function createApiKeyService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  // Every Open311 write presents its key. Clients known for 2 s; a revocation here drops its key at once, one
  // made through another server process is seen within the 2 s.
  const known = createTtlCache<string, Open311Client>(2_000, 10_000);

  async function listKeys(actor: Actor): Promise<Open311Key[]> {
    assertRole(actor, ['administrator'], MANAGE_KEYS);
    return (await repository.listKeys(db, regionScope(actor))).map(presentKey);
  }

  async function createKey(actor: Actor, input: CreateKeyInput): Promise<Open311KeyCreated> {
    assertRole(actor, ['administrator'], MANAGE_KEYS);
    // A key acts as a dispatcher of one region: an empty region would be a key that may do nothing (the system,
    // acting from the command line, has no region of its own to give it).
    const regionCode = input.regionCode ?? actor.scopeCode;
    if (!regionCode) {
      throw new AppError('VALIDATION_FAILED', {
        summary: {
          zh: '请指定密钥所属的行政区划（regionCode）',
          en: 'name the region the key reports in (regionCode)',
        },
      });
    }
    assertInScope(actor, regionCode, regionCode);
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const id = await db.transaction().execute(async (trx) => {
      const id = await repository.insertKey(trx, {
        name: input.name,
        prefix: key.slice(0, SHOWN_PREFIX),
        key_hash: hashKey(key),
        region_code: regionCode,
        rate_limit_per_minute: input.rateLimitPerMinute,
        created_by: actor.id > 0 ? actor.id : null,
        created_at: clock.now(),
      });
      await audit.record(trx, {
        actor,
        action: 'open311Key.create',
        entityType: 'open311Key',
        entityId: id,
        details: { name: input.name, prefix: key.slice(0, SHOWN_PREFIX), regionCode },
      });
      return id;
    });
    const created = (await listKeys(actor)).find((k) => k.id === id);
    if (!created) throw notFound(ENTITY_KEY, id);
    return { ...created, key };
  }

  /** Revokes a key at once: the next request with it is refused. Revoking a revoked key changes nothing. */
  async function revokeKey(actor: Actor, id: number): Promise<Open311Key> {
    assertRole(actor, ['administrator'], MANAGE_KEYS);
    const row = await repository.findKey(db, id);
    if (!row) throw notFound(ENTITY_KEY, id);
    assertInScope(actor, row.region_code, row.name);
    await db.transaction().execute(async (trx) => {
      if (!(await repository.revokeKey(trx, id, actor.id > 0 ? actor.id : null, clock.now()))) return;
      known.deleteWhere((client) => client.keyId === id);
      await audit.record(trx, {
        actor,
        action: 'open311Key.revoke',
        entityType: 'open311Key',
        entityId: id,
        details: { name: row.name, prefix: row.prefix, regionCode: row.region_code },
      });
    });
    const revoked = (await listKeys(actor)).find((k) => k.id === id);
    if (!revoked) throw notFound(ENTITY_KEY, id);
    return revoked;
  }

  /** The client an api_key belongs to, or null when the key is unknown or revoked. */
  async function authenticate(key: string): Promise<Open311Client | null> {
    const hash = hashKey(key);
    const cached = known.get(hash);
    if (cached) return cached;
    const row = await repository.findActiveKeyByHash(db, hash);
    if (!row) return null;
    const client = clientOf(row);
    known.set(hash, client);
    return client;
  }

  /** The client of a key by id, revoked or not: a queued report is placed as the client that sent it. */
  async function clientById(id: number): Promise<Open311Client> {
    const row = await repository.findKey(db, id);
    if (!row) throw notFound(ENTITY_KEY, id);
    return clientOf(row);
  }

  return { listKeys, createKey, revokeKey, authenticate, clientById };
}

function clientOf(row: Open311KeyRow): Open311Client {
  const name = `Open311 · ${row.name} (${row.prefix}…)`;
  return {
    keyId: row.id,
    name: row.name,
    prefix: row.prefix,
    rateLimitPerMinute: row.rate_limit_per_minute,
    // A key reports cases, adds timeline entries and looks up standard addresses, within its region (the data
    // scope every report is checked against). The least role that reads addresses, should a path ever consult
    // it: a dispatcher's, which sees personal data masked and manages nothing.
    actor: {
      id: 0,
      username: `open311:${row.prefix}`,
      name,
      role: 'dispatcher',
      scopeCode: row.region_code,
      scopeName: name,
      departmentId: null,
      locale: 'zh-CN',
    },
  };
}

function presentKey(row: repository.KeyWithNames): Open311Key {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    regionCode: row.region_code,
    regionName: row.region_name,
    rateLimitPerMinute: row.rate_limit_per_minute,
    createdByName: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
