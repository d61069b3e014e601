import { createHash } from 'node:crypto';

/** The fields of an audit entry that its hash covers, in a fixed order. */
export interface AuditContent {
  occurredAt: Date;
  actorId: number | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  countyCode: string | null;
  details: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Each entry's hash covers its content and the previous entry's hash, so editing, deleting or reordering
 * an entry breaks every hash after it. Keys are sorted because jsonb does not keep the order they were
 * written in.
 */
export function auditHash(prevHash: string, content: AuditContent): string {
  const payload = canonicalJson([
    prevHash,
    content.occurredAt.toISOString(),
    content.actorId,
    content.actorName,
    content.action,
    content.entityType,
    content.entityId,
    content.countyCode,
    content.details,
  ]);
  return createHash('sha256').update(payload).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
