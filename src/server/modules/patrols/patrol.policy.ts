import { type LocalizedText, localize } from '../../../shared/errors.ts';
import { PATROL_READER_ROLES, PATROLLER_ROLES } from '../../../shared/patrols.ts';
import type { Role } from '../../../shared/roles.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import type { PatrolReader } from './patrol.repository.ts';

export const PATROL = { zh: '巡查记录', en: 'Patrol' } satisfies LocalizedText;

export const PATROLLERS: readonly Role[] = PATROLLER_ROLES;
export const READERS: readonly Role[] = PATROL_READER_ROLES;

/** What an actor may read: their region scope, and a grid worker only their own patrols. */
export function patrolReader(actor: Actor): PatrolReader {
  return {
    scope: regionScope(actor),
    ownerId: actor.role === 'gridWorker' && !actor.system ? actor.id : null,
  };
}

/** The civil day of an instant in Asia/Shanghai (UTC+8 all year, no daylight saving), YYYY-MM-DD. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A 400 naming each field (points.3.at) and what is wrong with it, in the actor's language. */
export function invalidFields(
  actor: Actor,
  issues: readonly { path: string; text: LocalizedText }[],
): AppError {
  const summary = {
    zh: issues.map((i) => `${i.path}: ${i.text.zh}`).join('；'),
    en: issues.map((i) => `${i.path}: ${i.text.en}`).join('; '),
  };
  return new AppError(
    'VALIDATION_FAILED',
    { summary },
    { issues: issues.map((i) => ({ path: i.path, message: localize(i.text, actor.locale) })) },
  );
}
