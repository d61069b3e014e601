import { type LocalizedText, localize } from '../../../shared/errors.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';

export const VISIT = { zh: '检查记录', en: 'Inspection visit' } satisfies LocalizedText;

export interface FieldIssue {
  path: string;
  text: LocalizedText;
}

/** A 400 naming each field (answers[3].evidence) and what is wrong with it, in the actor's language. */
export function invalidFields(actor: Actor, issues: readonly FieldIssue[]): AppError {
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
