import type { LocalizedText } from '../../../shared/errors.ts';
import { FORM_AUTHOR_ROLES } from '../../../shared/forms.ts';
import { assertInScope, assertRole, inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope, type Scope } from '../people/scope.ts';

export const FORM = { zh: '表单', en: 'Form' } satisfies LocalizedText;
export const FORM_VERSION = { zh: '表单版本', en: 'Form version' } satisfies LocalizedText;
const BUILD_FORMS = { zh: '制作和发布表单', en: 'build and publish forms' } satisfies LocalizedText;

/**
 * Who reads forms: everyone signed in, for the forms of their own subtree and of the regions above them (a
 * town's form is filled in by its villages); the repository applies it. A sibling village's forms stay unseen.
 */
export function formReader(actor: Actor): Scope {
  return regionScope(actor);
}

/** An administrator or leader whose scope holds the form's owner region builds and publishes it. */
export function mayEditForm(actor: Actor, regionCode: string): boolean {
  return FORM_AUTHOR_ROLES.includes(actor.role) && inScope(actor, regionCode);
}

export function assertMayBuildForms(actor: Actor): void {
  assertRole(actor, FORM_AUTHOR_ROLES, BUILD_FORMS);
}

export function assertMayEditForm(actor: Actor, regionCode: string): void {
  assertMayBuildForms(actor);
  assertInScope(actor, regionCode, { zh: `表单（${regionCode}）`, en: `form (${regionCode})` });
}
