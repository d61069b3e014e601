import { labelWithCode, localize } from '../../../shared/errors.ts';
import {
  REGISTRY_ENTITY_LABELS,
  type RegistryEntity,
  type RegistryRecords,
} from '../../../shared/registry.ts';
import { sensitiveFieldsOf } from '../../../shared/registry-policy.ts';
import { notFound } from '../../errors.ts';
import { assertInScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope, type Scope } from '../people/scope.ts';
import { assertMayRead, maySeeCare, visibilityOf } from './registry.policy.ts';
import type { RegistryView, ViewerRights } from './registry.presenter.ts';
import type { RegistryServiceDeps } from './registry.service.ts';
import { kindOf, type Reader, SENSITIVE_COLUMNS } from './registry-kinds.ts';

/** What every read of the registry starts from: who reads, what they may see, and the record asked for. */
export function createRegistryReading(deps: RegistryServiceDeps) {
  const { db, clock, audit, territory } = deps;

  function rightsOf(actor: Actor): ViewerRights {
    return {
      idNumber: visibilityOf(actor, 'idNumber'),
      phone: visibilityOf(actor, 'phone'),
      care: maySeeCare(actor),
      now: clock.now(),
    };
  }

  function readerOf(actor: Actor): Reader {
    return { care: maySeeCare(actor), label: (text) => localize(text, actor.locale) };
  }

  /** What a list reads: the actor's scope, narrowed to a region when one is asked for (checked to be visible). */
  async function listScope(actor: Actor, code: string | undefined): Promise<Scope> {
    const scope = regionScope(actor);
    if (!code) return scope;
    const region = await territory.getRegionSummary(code);
    assertInScope(actor, region.code, labelWithCode(region.name, region.code));
    return narrowScope(scope, region.code);
  }

  /** A record's stored view, or not found — also for one the actor may not know of (a cared-for resident). */
  async function findView(actor: Actor, entity: RegistryEntity, id: number): Promise<RegistryView> {
    assertMayRead(actor, entity);
    const kind = kindOf(entity);
    const view = await kind.find(db, id);
    if (!view || kind.hidden?.(view, readerOf(actor))) throw notFound(REGISTRY_ENTITY_LABELS[entity], id);
    assertInScope(actor, view.region_code, {
      zh: `${REGISTRY_ENTITY_LABELS[entity].zh} ${id}`,
      en: `${REGISTRY_ENTITY_LABELS[entity].en} ${id}`,
    });
    return view;
  }

  function present<E extends RegistryEntity>(entity: E, view: RegistryView, rights: ViewerRights) {
    return kindOf(entity).present(view, rights) as RegistryRecords[E];
  }

  /**
   * Personal data a role sees in clear is shown without a reveal; each answer showing some is still logged, so
   * administrators can see who read whose data.
   */
  async function logClearReads(
    actor: Actor,
    entity: RegistryEntity,
    views: readonly RegistryView[],
  ): Promise<void> {
    const fields = sensitiveFieldsOf(entity).filter((f) => visibilityOf(actor, f) === 'clear');
    const shown = fields.filter((f) =>
      views.some((v) => (v as Record<string, unknown>)[SENSITIVE_COLUMNS[f]]),
    );
    if (shown.length === 0) return;
    const ids = views
      .filter((v) => shown.some((f) => (v as Record<string, unknown>)[SENSITIVE_COLUMNS[f]]))
      .map((v) => v.id);
    await audit.record(db, {
      actor,
      action: 'registry.read',
      entityType: entity,
      entityId: ids.length === 1 ? String(ids[0]) : '*',
      countyCode: views[0]?.county_code ?? null,
      details: {
        regionCode: views.length === 1 ? views[0]?.region_code : actor.scopeCode,
        recordIds: ids,
        fields: shown,
      },
    });
  }

  return { rightsOf, readerOf, listScope, findView, present, logClearReads };
}
