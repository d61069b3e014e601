import { randomBytes } from 'node:crypto';
import { type AttributeValues, checkAttributeValues, parseW3cDateTime } from '../../../shared/attributes.ts';
import { type Category, type CategoryAttribute, TIME_UNIT_LABELS } from '../../../shared/cases.ts';
import { errorMessage, type Locale, type LocalizedText, localize } from '../../../shared/errors.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import { HIDDEN_TEXT, PUBLIC_ACTIONS, publicStepOf, publicStepText } from '../cases/public-case.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { ApiKeyService, Open311Client } from './api-key.service.ts';
import * as repository from './open311.repository.ts';
import { type Open311Document, type Open311Record, w3cDateTime } from './open311-format.ts';
import {
  CLIENT_STATUS_MEANING,
  coreStatusOf,
  EXTENDED_STATUSES,
  type ExtendedStatus,
  updateStatusOf,
} from './open311-status.ts';

/** The arguments of a request, query and form merged; an empty argument is no argument (the spec says so). */
export type Open311Params = ReadonlyMap<string, readonly string[]>;

/** A refusal in the spec's terms: 404 for what does not exist, 403 for the api_key, 400 for anything else. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 429,
    readonly text: LocalizedText,
  ) {
    super(text.en);
    this.name = 'Open311Error';
  }
}

const t = (zh: string, en: string): LocalizedText => ({ zh, en });

const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** The spec's default and limit: a span of 90 days or the first 1,000 requests, whichever is smaller. */
const WINDOW_MS = 90 * 24 * 3_600_000;
const MAX_RESULTS = 1_000;
const MAX_DESCRIPTION = 4_000;
const MAX_TEXT = 500;

export interface Open311ServiceDeps {
  db: Db;
  clock: Clock;
  cases: Pick<CaseService, 'reportCase' | 'recordClientUpdate'>;
  categories: Pick<CategoryService, 'getCategoryTree' | 'listAttributes'>;
  territory: Pick<TerritoryService, 'getRegionSummary' | 'locateCode'>;
  registry: Pick<RegistryService, 'getRecord'>;
  keys: Pick<ApiKeyService, 'clientById'>;
  /** The region codes this server answers for; several make jurisdiction_id required. */
  jurisdictions: readonly string[];
}

/** A minor class offered as an Open311 service. */
interface Service {
  code: string;
  category: Category;
  group: string;
  attributes: CategoryAttribute[];
}

export type Open311Service = ReturnType<typeof createOpen311Service>;

/**
 * The Open311 GeoReport v2 server (docs/open311.md): public minor classes are its services, cases of public
 * categories its service requests, public workflow steps its updates. Nothing personal is ever answered.
 */
export function createOpen311Service(deps: Open311ServiceDeps) {
  const { db, clock, cases, categories, territory, registry, keys, jurisdictions } = deps;

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

  /**
   * POST requests: a report, placed by lat/long, by a registry address (address_id), or — with an
   * address_string alone, which no machine can place in a grid — queued for a dispatcher with a token.
   */
  async function postRequest(
    client: Open311Client,
    params: Open311Params,
    locale: Locale,
  ): Promise<Open311Document> {
    const jurisdiction = await jurisdictionOf(params);
    const service = await serviceByCode(one(params, 'service_code'));
    const attributes = parseAttributes(params, service.attributes);
    const description = text(params, 'description', MAX_DESCRIPTION) ?? service.category.name;
    const addressString = text(params, 'address_string', MAX_TEXT);
    const addressId = text(params, 'address_id', 100);
    const mediaUrl = url(one(params, 'media_url'));
    const reporter = {
      email: text(params, 'email', 200) ?? null,
      first_name: text(params, 'first_name', 100) ?? null,
      last_name: text(params, 'last_name', 100) ?? null,
      phone: text(params, 'phone', 40) ?? null,
      account_id: text(params, 'account_id', 100) ?? null,
      device_id: text(params, 'device_id', 200) ?? null,
    };
    let place: ReportInput['place'] | null = pointOf(params);
    let address = addressString;
    if (!place && addressId !== undefined) {
      const found = await registryAddress(client, addressId);
      place = found.place;
      address = address ?? found.text;
    }
    if (!place) {
      if (addressString === undefined) {
        throw new Open311Error(
          400,
          t(
            '缺少位置：须提供 lat 和 long、address_string 或 address_id 之一',
            'A full location parameter must be submitted: lat & long, address_string or address_id',
          ),
        );
      }
      const token = randomBytes(16).toString('hex');
      await repository.insertPending(db, {
        token,
        key_id: client.keyId,
        jurisdiction: jurisdiction || null,
        request: {
          serviceCode: service.code,
          categoryId: service.category.id,
          description,
          addressString,
          attributes,
          mediaUrl: mediaUrl ?? null,
          ...reporter,
        },
        created_at: clock.now(),
      });
      return {
        root: 'service_requests',
        body: [
          { token, service_notice: serviceNotice(service.category, locale), account_id: reporter.account_id },
        ],
      };
    }
    const created = await report(client, {
      categoryId: service.category.id,
      jurisdiction,
      place,
      description,
      address: address ?? null,
      addressId: addressId ?? null,
      attributes,
      mediaUrl: mediaUrl ?? null,
      reporter,
    });
    return {
      root: 'service_requests',
      body: [
        {
          service_request_id: created.caseNumber,
          service_notice: serviceNotice(service.category, locale),
          account_id: reporter.account_id,
        },
      ],
    };
  }

  interface ReportInput {
    categoryId: number;
    jurisdiction: string;
    place: { lon: number; lat: number } | { regionCode: string };
    description: string;
    address: string | null;
    addressId: string | null;
    attributes: AttributeValues;
    mediaUrl: string | null;
    reporter: {
      email: string | null;
      first_name: string | null;
      last_name: string | null;
      phone: string | null;
      account_id: string | null;
      device_id: string | null;
    };
  }

  /** Reports the case as the client's key, and keeps what the client sent besides it privately. */
  async function report(client: Open311Client, input: ReportInput) {
    const name = [input.reporter.last_name, input.reporter.first_name].filter(Boolean).join(' ');
    const point = 'lon' in input.place ? input.place : null;
    const regionCode = point
      ? await territory.locateCode(point.lon, point.lat)
      : (input.place as { regionCode: string }).regionCode;
    if (regionCode && input.jurisdiction && !regionCode.startsWith(input.jurisdiction)) {
      throw new Open311Error(400, t('该位置不在所选辖区内', 'The location lies outside the jurisdiction'));
    }
    let summary: Awaited<ReturnType<typeof cases.reportCase>>;
    try {
      summary = await cases.reportCase(
        client.actor,
        {
          categoryId: input.categoryId,
          description: input.description,
          ...(point ? { lon: point.lon, lat: point.lat } : { regionCode: regionCode ?? '' }),
          ...(input.address ? { address: input.address.slice(0, 200) } : {}),
          ...(name ? { reporterName: name.slice(0, 40) } : {}),
          ...(input.reporter.phone ? { reporterPhone: input.reporter.phone.slice(0, 20) } : {}),
        },
        'api',
        {
          details: {
            open311KeyId: client.keyId,
          },
          attributes: input.attributes,
          // The client's contact data and extra fields, kept privately with the case, in its transaction.
          alongside: (trx, caseId) =>
            repository.insertRequest(trx, {
              case_id: caseId,
              key_id: client.keyId,
              attributes: input.attributes,
              media_url: input.mediaUrl,
              address_id: input.addressId,
              ...input.reporter,
              created_at: clock.now(),
            }),
        },
      );
    } catch (error) {
      throw toOpen311Error(error);
    }
    return summary;
  }

  async function registryAddress(client: Open311Client, addressId: string) {
    const id = Number(addressId);
    const missing = new Open311Error(
      400,
      t(`address_id 不存在：${addressId}`, `address_id not found: ${addressId}`),
    );
    // Ids are int4: a larger number names nothing (and would overflow the column in the query).
    if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) throw missing;
    try {
      const address = await registry.getRecord(client.actor, 'address', id);
      const place =
        address.lon !== null && address.lat !== null
          ? { lon: address.lon, lat: address.lat }
          : { regionCode: address.regionCode };
      return { place, text: address.fullText };
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw missing;
      throw toOpen311Error(error);
    }
  }

  async function tokenStatus(params: Open311Params, token: string): Promise<Open311Document> {
    await jurisdictionOf(params);
    const pending = /^[0-9a-f]{32}$/.test(token) ? await repository.findPending(db, token) : undefined;
    if (!pending) throw new Open311Error(404, t(`未找到 token：${token}`, `token not found: ${token}`));
    return { root: 'service_requests', body: [{ service_request_id: pending.case_number, token }] };
  }

  async function listRequests(params: Open311Params, locale: Locale): Promise<Open311Document> {
    const regionPrefix = await jurisdictionOf(params);
    const ids = list(params, 'service_request_id');
    if (ids) {
      // The list overrides every other argument.
      return requestsDocument(
        await repository.listPublicRequests(db, { regionPrefix, caseNumbers: ids, limit: MAX_RESULTS }),
        locale,
      );
    }
    const codes = list(params, 'service_code');
    let categoryIds: number[] | undefined;
    if (codes) {
      const services = await listServiceEntries();
      categoryIds = codes.map((code) => {
        const service = services.find((s) => s.code === code);
        if (!service)
          throw new Open311Error(404, t(`未找到 service_code：${code}`, `service_code not found: ${code}`));
        return service.category.id;
      });
    }
    const statuses = list(params, 'status');
    for (const status of statuses ?? []) {
      if (status !== 'open' && status !== 'closed') {
        throw new Open311Error(
          400,
          t(`status 只能是 open 或 closed：${status}`, `status must be open or closed: ${status}`),
        );
      }
    }
    const closed = statuses && new Set(statuses).size === 1 ? statuses[0] === 'closed' : undefined;
    const { from, to } = window(params);
    const rows = await repository.listPublicRequests(db, {
      regionPrefix,
      ...(categoryIds ? { categoryIds } : {}),
      from,
      to,
      ...(closed !== undefined ? { closed } : {}),
      limit: MAX_RESULTS,
    });
    return requestsDocument(rows, locale);
  }

  async function getRequest(params: Open311Params, id: string, locale: Locale): Promise<Open311Document> {
    const regionPrefix = await jurisdictionOf(params);
    const rows = await repository.listPublicRequests(db, { regionPrefix, caseNumbers: [id], limit: 1 });
    if (rows.length === 0) {
      throw new Open311Error(
        404,
        t(`未找到 service_request_id：${id}`, `service_request_id not found: ${id}`),
      );
    }
    return requestsDocument(rows, locale);
  }

  /** The start and end of a date range: given, or the spec's default of the latest 90 days; never longer. */
  function window(params: Open311Params): { from: Date; to: Date } {
    const start = dateArgument(params, 'start_date');
    const end = dateArgument(params, 'end_date');
    const to = end ?? (start ? new Date(start.getTime() + WINDOW_MS) : clock.now());
    const from = start ?? new Date(to.getTime() - WINDOW_MS);
    if (from > to) throw new Open311Error(400, t('start_date 晚于 end_date', 'start_date is after end_date'));
    if (to.getTime() - from.getTime() > WINDOW_MS) {
      throw new Open311Error(
        400,
        t('日期范围不能超过 90 天', 'The date range may not span more than 90 days'),
      );
    }
    return { from, to };
  }

  async function requestsDocument(
    rows: repository.PublicRequestRow[],
    locale: Locale,
  ): Promise<Open311Document> {
    const services = await listServiceEntries();
    const byCategory = new Map(services.map((s) => [s.category.id, s]));
    const steps = new Map(
      (
        await repository.latestPublicSteps(
          db,
          rows.map((r) => r.id),
          PUBLIC_ACTIONS,
        )
      ).map((s) => [s.case_id, s]),
    );
    return {
      root: 'service_requests',
      body: rows.map((row) => {
        const service = byCategory.get(row.category_id);
        const step = steps.get(row.id);
        return {
          service_request_id: row.case_number,
          status: coreStatusOf(row.state),
          status_notes: step ? localize(publicStepText(publicStepOf(step)), locale) : null,
          service_name: service?.category.name ?? null,
          service_code: service?.code ?? null,
          description: row.description_hidden ? localize(HIDDEN_TEXT, locale) : row.description,
          agency_responsible: row.department_name,
          service_notice: service ? serviceNotice(service.category, locale) : null,
          requested_datetime: w3cDateTime(row.created_at),
          updated_datetime: w3cDateTime(row.closed_at ?? row.updated_at),
          expected_datetime: row.step_due_at ? w3cDateTime(row.step_due_at) : null,
          address: row.address ?? row.region_name,
          address_id: row.address_id,
          zipcode: null,
          lat: row.lat,
          long: row.lon,
          media_url: row.media_url,
        } satisfies Open311Record;
      }),
    };
  }

  /** GET servicerequestupdates: the public steps of cases in a date range, oldest first. */
  async function listUpdates(params: Open311Params, locale: Locale): Promise<Open311Document> {
    const regionPrefix = await jurisdictionOf(params);
    const { from, to } = window(params);
    const rows = await repository.listPublicSteps(db, {
      regionPrefix,
      from,
      to,
      actions: PUBLIC_ACTIONS,
      limit: MAX_RESULTS,
    });
    return {
      root: 'service_request_updates',
      body: rows.map((row) => {
        const step = publicStepOf(row);
        return {
          update_id: String(row.id),
          service_request_id: row.case_number,
          status: updateStatusOf(step),
          updated_datetime: w3cDateTime(row.at),
          description: localize(publicStepText(step), locale),
          media_url: '',
        };
      }),
    };
  }

  /**
   * POST servicerequestupdates: what a client says of a request goes into the case's timeline (it does not
   * move the case). Idempotent by the client's id of its update: a repeat answers with the entry already made.
   */
  async function postUpdate(client: Open311Client, params: Open311Params): Promise<Open311Document> {
    const regionPrefix = await jurisdictionOf(params);
    const required = (name: string) => {
      const value = one(params, name);
      if (value === undefined) throw new Open311Error(400, t(`缺少 ${name}`, `${name} was not provided`));
      return value;
    };
    const caseNumber = required('service_request_id');
    // The client's own id of its update. FixMyStreet, the extension's reference client, sends it as
    // update_id_ext (and reads the server's update_id from the answer); other clients send update_id.
    const clientUpdateId = (one(params, 'update_id') ?? one(params, 'update_id_ext'))?.slice(0, 100);
    if (clientUpdateId === undefined) {
      throw new Open311Error(
        400,
        t('缺少 update_id（或 update_id_ext）', 'update_id (or update_id_ext) was not provided'),
      );
    }
    const statusText = required('status').toLowerCase();
    if (!(EXTENDED_STATUSES as readonly string[]).includes(statusText)) {
      throw new Open311Error(
        400,
        t(
          `未知的 status：${statusText}`,
          `Unknown status ${statusText}; use one of ${EXTENDED_STATUSES.join(', ')}`,
        ),
      );
    }
    const status = statusText as ExtendedStatus;
    const updatedAt = dateArgument(params, 'updated_datetime');
    if (!updatedAt)
      throw new Open311Error(400, t('缺少 updated_datetime', 'updated_datetime was not provided'));
    const description = required('description').slice(0, MAX_DESCRIPTION);
    const mediaUrl = url(one(params, 'media_url'));
    const target = await repository.findPublicCase(db, caseNumber);
    if (!target || (regionPrefix && !target.region_code.startsWith(regionPrefix))) {
      throw new Open311Error(
        404,
        t(`未找到 service_request_id：${caseNumber}`, `service_request_id not found: ${caseNumber}`),
      );
    }
    const answer = (id: number) => ({
      root: 'service_request_updates',
      body: [{ update_id: String(id), account_id: text(params, 'account_id', 100) ?? null }],
    });
    const earlier = await repository.findClientUpdate(db, client.keyId, clientUpdateId);
    if (earlier) return answer(earlier.case_event_id);
    let eventId: number;
    try {
      assertInScope(client.actor, target.region_code, caseNumber);
      eventId = await cases.recordClientUpdate(client.actor, target.id, {
        note: `${localize(CLIENT_STATUS_MEANING[status], 'zh-CN')}：${description}`,
        data: {
          open311KeyId: client.keyId,
          clientUpdateId,
          status,
          updatedAt: updatedAt.toISOString(),
          ...(mediaUrl ? { mediaUrl } : {}),
        },
      });
    } catch (error) {
      throw toOpen311Error(error);
    }
    await repository.insertClientUpdate(db, {
      key_id: client.keyId,
      client_update_id: clientUpdateId,
      case_id: target.id,
      case_event_id: eventId,
      status,
      created_at: clock.now(),
    });
    return answer(eventId);
  }

  /** Reports an Open311 client queued (address_string only) that wait for a dispatcher to place them. */
  async function listPending(actor: Actor) {
    assertRole(actor, ['administrator', 'dispatcher'], PLACE_PENDING);
    const rows = await repository.listOpenPending(db, regionScope(actor), 500);
    const clients = new Map<number, Open311Client>();
    for (const row of rows)
      if (!clients.has(row.key_id)) clients.set(row.key_id, await keys.clientById(row.key_id));
    return rows.map((row) => ({
      token: row.token,
      keyName: clients.get(row.key_id)?.name ?? '',
      serviceCode: String(row.request.serviceCode ?? ''),
      description: String(row.request.description ?? ''),
      addressString: String(row.request.addressString ?? ''),
      createdAt: row.created_at.toISOString(),
    }));
  }

  /**
   * A dispatcher places a queued report: it becomes a case reported by the client's key, and its token now
   * resolves to the case number. The place must lie in the dispatcher's scope.
   */
  async function placePending(
    actor: Actor,
    token: string,
    place: { lon?: number | undefined; lat?: number | undefined; regionCode?: string | undefined },
  ) {
    assertRole(actor, ['administrator', 'dispatcher'], PLACE_PENDING);
    const pending = await repository.findPending(db, token);
    if (!pending) throw new AppError('NOT_FOUND', { entity: PENDING_ENTITY, id: token });
    if (pending.case_number) return { token, caseNumber: pending.case_number };
    const point =
      place.lon !== undefined && place.lat !== undefined ? { lon: place.lon, lat: place.lat } : null;
    const regionCode = point ? await territory.locateCode(point.lon, point.lat) : (place.regionCode ?? null);
    if (regionCode) assertInScope(actor, regionCode, regionCode);
    const request = pending.request as Record<string, unknown>;
    const client = await keys.clientById(pending.key_id);
    const reporterField = (name: string) =>
      typeof request[name] === 'string' ? (request[name] as string) : null;
    let created: Awaited<ReturnType<typeof report>>;
    try {
      created = await report(client, {
        categoryId: Number(request.categoryId),
        jurisdiction: pending.jurisdiction ?? '',
        place: point ?? { regionCode: regionCode ?? '' },
        description: String(request.description),
        address: reporterField('addressString'),
        addressId: null,
        attributes: (request.attributes ?? {}) as AttributeValues,
        mediaUrl: reporterField('mediaUrl'),
        reporter: {
          email: reporterField('email'),
          first_name: reporterField('first_name'),
          last_name: reporterField('last_name'),
          phone: reporterField('phone'),
          account_id: reporterField('account_id'),
          device_id: reporterField('device_id'),
        },
      });
    } catch (error) {
      if (error instanceof Open311Error) throw new AppError('VALIDATION_FAILED', { summary: error.text });
      throw error;
    }
    await repository.markPlaced(db, token, created.id, clock.now());
    return { token, caseNumber: created.caseNumber };
  }

  return {
    discovery,
    listServices,
    serviceDefinition,
    postRequest,
    tokenStatus,
    listRequests,
    getRequest,
    listUpdates,
    postUpdate,
    listPending,
    placePending,
  };
}

const PLACE_PENDING = { zh: '为 Open311 待定位上报选择位置', en: 'place queued Open311 reports' };
const PENDING_ENTITY = { zh: 'Open311 待定位上报', en: 'Queued Open311 report' };

/** The first value of an argument; blank values count as absent. */
function one(params: Open311Params, name: string): string | undefined {
  return params.get(name)?.[0];
}

/** A comma-delimited argument, possibly given several times. */
function list(params: Open311Params, name: string): string[] | undefined {
  const values = (params.get(name) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length ? values : undefined;
}

function text(params: Open311Params, name: string, max: number): string | undefined {
  const value = one(params, name);
  if (value !== undefined && value.length > max) {
    throw new Open311Error(400, t(`${name} 超过 ${max} 个字符`, `${name} is longer than ${max} characters`));
  }
  return value;
}

function url(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value.slice(0, 2000);
  } catch {
    // reported below
  }
  throw new Open311Error(
    400,
    t(`media_url 不是 http(s) 地址：${value}`, `media_url is not an http(s) URL: ${value}`),
  );
}

function dateArgument(params: Open311Params, name: string): Date | undefined {
  const value = one(params, name);
  if (value === undefined) return undefined;
  const at = parseW3cDateTime(value);
  if (!at) {
    throw new Open311Error(
      400,
      t(
        `${name} 须为带时区的 W3C 日期时间，如 2010-01-01T00:00:00Z：${value}`,
        `${name} must be a W3C date-time with time zone, e.g. 2010-01-01T00:00:00Z: ${value}`,
      ),
    );
  }
  return at;
}

function pointOf(params: Open311Params): { lon: number; lat: number } | null {
  const lat = one(params, 'lat');
  const long = one(params, 'long');
  if (lat === undefined && long === undefined) return null;
  const point = { lat: Number(lat), lon: Number(long) };
  if (
    lat === undefined ||
    long === undefined ||
    !Number.isFinite(point.lat) ||
    !Number.isFinite(point.lon) ||
    Math.abs(point.lat) > 90 ||
    Math.abs(point.lon) > 180
  ) {
    throw new Open311Error(
      400,
      t('lat 和 long 须同时给出，且为 WGS-84 经纬度', 'lat and long must both be sent, as WGS-84 degrees'),
    );
  }
  return point;
}

/**
 * The attribute[code] (and attribute[code][] for a multivaluelist) arguments, checked against the service
 * definition (shared/attributes.ts); a refusal names each field by its argument.
 */
function parseAttributes(params: Open311Params, definitions: readonly CategoryAttribute[]): AttributeValues {
  const given = new Map<string, string[]>();
  for (const [name, values] of params) {
    const match = /^attribute\[([^\]]+)\](\[\])?$/.exec(name);
    if (match?.[1]) given.set(match[1], [...(given.get(match[1]) ?? []), ...values]);
  }
  const check = checkAttributeValues(definitions, given);
  if (check.ok) return check.values;
  const said = (locale: 'zh' | 'en') =>
    check.problems.map((p) => `attribute[${p.code}] ${p.reason[locale]}`).join(locale === 'zh' ? '；' : '; ');
  throw new Open311Error(400, t(said('zh'), said('en')));
}

/** What the reporter can expect: the handling time limit of the class. */
function serviceNotice(category: Category, locale: Locale): string | null {
  const limit = category.limits.handle;
  if (!limit) return null;
  const unit = localize(TIME_UNIT_LABELS[limit.unit], locale);
  return locale === 'zh-CN'
    ? `派遣后 ${limit.amount} ${unit}内处置`
    : `Handled within ${limit.amount} ${unit} of dispatch`;
}

/** A refusal from the case loop in the spec's terms: outside the key's scope is 403, anything else 400. */
function toOpen311Error(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const status = error.code === 'FORBIDDEN_SCOPE' || error.code === 'FORBIDDEN_ROLE' ? 403 : 400;
  return new Open311Error(status, { zh: messageOf(error, 'zh-CN'), en: messageOf(error, 'en-US') });
}

function messageOf(error: AppError, locale: Locale): string {
  return errorMessage(error.code, error.params, locale);
}
