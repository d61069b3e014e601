import { randomBytes } from 'node:crypto';
import type { AttributeValues } from '../../../shared/attributes.ts';
import { type Locale, localize } from '../../../shared/errors.ts';
import { AppError } from '../../errors.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import type { Open311Client } from './api-key.service.ts';
import * as repository from './open311.repository.ts';
import type { Open311ServiceDeps } from './open311.service.ts';
import {
  dateArgument,
  type IgnoredAttributes,
  Open311Error,
  type Open311Params,
  one,
  parseAttributes,
  pointOf,
  t,
  text,
  toOpen311Error,
  url,
} from './open311-arguments.ts';
import { type Open311Catalogue, serviceNotice } from './open311-catalogue.ts';
import type { Open311Document } from './open311-format.ts';
import { CLIENT_STATUS_MEANING, EXTENDED_STATUSES, type ExtendedStatus } from './open311-status.ts';

const MAX_DESCRIPTION = 4_000;
const MAX_TEXT = 500;
const PLACE_PENDING = { zh: '为 Open311 待定位上报选择位置', en: 'place queued Open311 reports' };
const PENDING_ENTITY = { zh: 'Open311 待定位上报', en: 'Queued Open311 report' };

/**
 * What clients write: service requests (made cases, or queued for a dispatcher to place) and updates of
 * them, each taken under the client's key.
 */
export function createOpen311Writes(
  deps: Pick<
    Open311ServiceDeps,
    'db' | 'clock' | 'cases' | 'territory' | 'registry' | 'keys' | 'evidence' | 'publicSources'
  >,
  catalogue: Open311Catalogue,
) {
  const { db, clock, cases, territory, registry, keys, evidence, publicSources } = deps;
  const { jurisdictionOf, serviceByCode } = catalogue;

  /**
   * POST requests: a report, placed by lat/long, by a registry address (address_id), or — with an
   * address_string alone, which no machine can place in a grid — queued for a dispatcher with a token.
   * Photos sent with it (a multipart/form-data post) are kept as the report's evidence; attributes the service
   * does not define are noted with the report and in the answer's service_notice.
   */
  async function postRequest(
    client: Open311Client,
    params: Open311Params,
    locale: Locale,
    photos: readonly Buffer[] = [],
  ): Promise<Open311Document> {
    const jurisdiction = await jurisdictionOf(params);
    const service = await serviceByCode(one(params, 'service_code'));
    const { values: attributes, ignored } = parseAttributes(params, service.attributes);
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
    if (!place && addressString === undefined) {
      throw new Open311Error(
        400,
        t(
          '缺少位置：须提供 lat 和 long、address_string 或 address_id 之一',
          'A full location parameter must be submitted: lat & long, address_string or address_id',
        ),
      );
    }
    const evidenceIds = await storePhotos(client, photos);
    const notice = noticeOf(serviceNotice(service.category, locale), ignored, locale);
    if (!place) {
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
          ignoredAttributes: ignored,
          evidence: evidenceIds,
          mediaUrl: mediaUrl ?? null,
          ...reporter,
        },
        created_at: clock.now(),
      });
      return {
        root: 'service_requests',
        body: [{ token, service_notice: notice, account_id: reporter.account_id }],
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
      ignoredAttributes: ignored,
      evidence: evidenceIds,
      mediaUrl: mediaUrl ?? null,
      reporter,
    });
    return {
      root: 'service_requests',
      body: [
        { service_request_id: created.caseNumber, service_notice: notice, account_id: reporter.account_id },
      ],
    };
  }

  /** Keeps each photo as evidence uploaded by the client's key; a file that is no photo is refused (400). */
  async function storePhotos(client: Open311Client, photos: readonly Buffer[]): Promise<string[]> {
    const ids: string[] = [];
    try {
      for (const bytes of photos) ids.push((await evidence.uploadEvidence(client.actor, bytes)).id);
    } catch (error) {
      throw toOpen311Error(error);
    }
    return [...new Set(ids)];
  }

  interface ReportInput {
    categoryId: number;
    jurisdiction: string;
    place: { lon: number; lat: number } | { regionCode: string };
    description: string;
    address: string | null;
    addressId: string | null;
    attributes: AttributeValues;
    ignoredAttributes: IgnoredAttributes;
    evidence: string[];
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
          ...(input.evidence.length ? { evidence: input.evidence } : {}),
        },
        'api',
        {
          details: {
            open311KeyId: client.keyId,
            // What the client sent that the service does not ask for: noted in the report entry, unchecked.
            ...(Object.keys(input.ignoredAttributes).length
              ? { ignoredAttributes: input.ignoredAttributes }
              : {}),
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

  /**
   * POST servicerequestupdates: what a client says of a request, and the photos it uploads with it (multipart),
   * go into the case's timeline (it does not move the case). Idempotent by the client's id of its update on
   * the request: a repeat answers with the entry already made; the same id on another request is a new update.
   */
  async function postUpdate(
    client: Open311Client,
    params: Open311Params,
    photos: readonly Buffer[] = [],
  ): Promise<Open311Document> {
    const regionPrefix = await jurisdictionOf(params);
    const required = (name: string) => {
      const value = one(params, name);
      if (value === undefined) throw new Open311Error(400, t(`缺少 ${name}`, `${name} was not provided`));
      return value;
    };
    const caseNumber = required('service_request_id');
    // The client's own id of its update: update_id, as FixMyStreet (the extension's reference client) sends
    // its comment id since 2019; before, with extended updates, it sent update_id_ext, still taken.
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
    const target = await repository.findPublicCase(db, caseNumber, publicSources);
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
    // The client's id names an update of this request: the same id on another request is another update.
    const earlier = await repository.findClientUpdate(db, client.keyId, target.id, clientUpdateId);
    if (earlier) return answer(earlier.case_event_id);
    let eventId: number;
    try {
      assertInScope(client.actor, target.region_code, caseNumber);
      // Photos uploaded with the update (FixMyStreet's photo1, photo2 … files) are the entry's evidence.
      const evidenceIds = await storePhotos(client, photos);
      eventId = await cases.recordClientUpdate(client.actor, target.id, {
        note: `${localize(CLIENT_STATUS_MEANING[status], 'zh-CN')}：${description}`,
        data: {
          open311KeyId: client.keyId,
          clientUpdateId,
          status,
          updatedAt: updatedAt.toISOString(),
          ...(mediaUrl ? { mediaUrl } : {}),
          ...(evidenceIds.length ? { evidence: evidenceIds } : {}),
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
        ignoredAttributes: (request.ignoredAttributes ?? {}) as IgnoredAttributes,
        evidence: Array.isArray(request.evidence) ? (request.evidence as string[]) : [],
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

  return { postRequest, postUpdate, listPending, placePending };
}

/** The service notice, and — when the client sent attributes the service does not define — that they were ignored. */
function noticeOf(notice: string | null, ignored: IgnoredAttributes, locale: Locale): string | null {
  const codes = Object.keys(ignored);
  if (codes.length === 0) return notice;
  const names = codes.map((code) => `attribute[${code}]`).join(', ');
  const note =
    locale === 'zh-CN'
      ? `本服务未定义以下属性，已忽略并记入案件：${names}`
      : `Ignored (the service does not define them; noted with the report): ${names}`;
  return notice ? `${notice}; ${note}` : note;
}
