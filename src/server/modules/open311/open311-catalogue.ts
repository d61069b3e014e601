import { type Category, type CategoryAttribute, TIME_UNIT_LABELS } from '../../../shared/cases.ts';
import { type Locale, localize } from '../../../shared/errors.ts';
import { AppError } from '../../errors.ts';
import * as repository from './open311.repository.ts';
import type { Open311ServiceDeps } from './open311.service.ts';
import { Open311Error, type Open311Params, one, t } from './open311-arguments.ts';
import { type Open311Document, w3cDateTime } from './open311-format.ts';

const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

/** A minor class offered as an Open311 service. */
interface Service {
  code: string;
  category: Category;
  group: string;
  attributes: CategoryAttribute[];
}

export type Open311Catalogue = ReturnType<typeof createOpen311Catalogue>;

/** What the server offers: its jurisdictions, its services (public minor classes) and their definitions. */
export function createOpen311Catalogue(
  deps: Pick<Open311ServiceDeps, 'db' | 'categories' | 'territory' | 'jurisdictions'>,
) {
  const { db, categories, territory, jurisdictions } = deps;

  /** The region prefix a jurisdiction_id selects ('' for the whole server), or the spec's 400/404. */
  async function jurisdictionOf(params: Open311Params): Promise<string> {
    const id = one(params, 'jurisdiction_id');
    if (id === undefined) {
      if (jurisdictions.length > 1) {
        throw new Open311Error(
          400,
          t(
            `缺少 jurisdiction_id：本服务器服务多个辖区（${jurisdictions.join('、')}）`,
            `jurisdiction_id was not provided; this server serves several jurisdictions (${jurisdictions.join(', ')})`,
          ),
        );
      }
      return jurisdictions[0] ?? '';
    }
    const known = jurisdictions.length > 0 ? jurisdictions.includes(id) : await regionExists(id);
    if (!known)
      throw new Open311Error(404, t(`未找到 jurisdiction_id：${id}`, `jurisdiction_id not found: ${id}`));
    return id;
  }

  async function regionExists(code: string): Promise<boolean> {
    if (!/^\d{2,21}$/.test(code)) return false;
    try {
      await territory.getRegionSummary(code);
      return true;
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }

  /** Public, active minor classes with their major class and extra fields. */
  async function listServiceEntries(): Promise<Service[]> {
    const tree = await categories.getCategoryTree();
    const minors = tree.flatMap((major) =>
      major.children.filter((c) => c.public && c.active).map((c) => ({ major, category: c })),
    );
    const attributes = await categories.listAttributes(minors.map((m) => m.category.id));
    // GB/T 30428 keeps component and matter codes apart; should a code still be used in both trees, the kind
    // is put in front of it so that every service_code names one class.
    const codeCount = new Map<string, number>();
    for (const { category } of minors) codeCount.set(category.code, (codeCount.get(category.code) ?? 0) + 1);
    return minors.map(({ major, category }) => ({
      code: (codeCount.get(category.code) ?? 0) > 1 ? `${category.kind}.${category.code}` : category.code,
      category,
      group: major.name,
      attributes: attributes.get(category.id) ?? [],
    }));
  }

  async function serviceByCode(code: string | undefined): Promise<Service> {
    if (code === undefined)
      throw new Open311Error(400, t('缺少 service_code', 'service_code was not provided'));
    const service = (await listServiceEntries()).find((s) => s.code === code);
    if (!service)
      throw new Open311Error(404, t(`未找到 service_code：${code}`, `service_code not found: ${code}`));
    return service;
  }

  async function discovery(baseUrl: string): Promise<Open311Document> {
    const changed = await repository.lastCategoryChange(db);
    const changeset = w3cDateTime(changed ?? new Date(0));
    return {
      root: 'discovery',
      body: {
        changeset,
        contact: '请联系本平台管理员 / Contact the administrator of this platform',
        key_service:
          'api_key 由平台管理员在“系统管理 → Open311 接入”中签发 / api keys are issued by an administrator',
        endpoints: [
          {
            specification: SPECIFICATION,
            url: `${baseUrl}/open311/v2`,
            changeset,
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      },
    };
  }

  async function listServices(params: Open311Params, locale: Locale): Promise<Open311Document> {
    await jurisdictionOf(params);
    const services = await listServiceEntries();
    return {
      root: 'services',
      body: services.map((s) => ({
        service_code: s.code,
        service_name: s.category.name,
        description: `${s.group} / ${s.category.name}${serviceNotice(s.category, locale) ? `（${serviceNotice(s.category, locale)}）` : ''}`,
        metadata: s.attributes.length > 0,
        type: 'realtime',
        keywords: [s.group, s.category.name, s.category.code].join(','),
        group: s.group,
      })),
    };
  }

  async function serviceDefinition(params: Open311Params, code: string): Promise<Open311Document> {
    await jurisdictionOf(params);
    const service = await serviceByCode(code);
    return {
      root: 'service_definition',
      body: {
        service_code: service.code,
        attributes: service.attributes.map((a) => ({
          variable: a.variable,
          code: a.code,
          datatype: a.datatype,
          required: a.required,
          datatype_description: a.datatypeDescription,
          order: a.order,
          description: a.description,
          ...(a.values.length ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
        })),
      },
    };
  }

  return { jurisdictionOf, listServiceEntries, serviceByCode, discovery, listServices, serviceDefinition };
}

/** What the reporter can expect: the handling time limit of the class. */
export function serviceNotice(category: Category, locale: Locale): string | null {
  const limit = category.limits.handle;
  if (!limit) return null;
  const unit = localize(TIME_UNIT_LABELS[limit.unit], locale);
  return locale === 'zh-CN'
    ? `派遣后 ${limit.amount} ${unit}内处置`
    : `Handled within ${limit.amount} ${unit} of dispatch`;
}
