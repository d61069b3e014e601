import { type Locale, localize } from '../../../shared/errors.ts';
import { HIDDEN_TEXT, PUBLIC_ACTIONS, publicStepOf, publicStepText } from '../cases/public-case.ts';
import * as repository from './open311.repository.ts';
import type { Open311ServiceDeps } from './open311.service.ts';
import { dateArgument, list, Open311Error, type Open311Params, t } from './open311-arguments.ts';
import { type Open311Catalogue, serviceNotice } from './open311-catalogue.ts';
import { type Open311Document, type Open311Record, w3cDateTime } from './open311-format.ts';
import { coreStatusOf, updateStatusOf } from './open311-status.ts';

/** The spec's default and limit: a span of 90 days or the first 1,000 requests, whichever is smaller. */
const WINDOW_MS = 90 * 24 * 3_600_000;
export const MAX_RESULTS = 1_000;
const SECOND_MS = 1_000;

/** The start of the second an instant lies in: datetimes are printed to the second, so compared so too. */
const floorSecond = (at: Date) => new Date(Math.floor(at.getTime() / SECOND_MS) * SECOND_MS);

/** The public reads: service requests searched or by id, a token's request, the updates of a date range. */
export function createOpen311Reads(
  deps: Pick<Open311ServiceDeps, 'db' | 'clock' | 'pageSize' | 'publicSources'>,
  catalogue: Open311Catalogue,
) {
  const { db, clock, publicSources: sources } = deps;
  const pageSize = deps.pageSize ?? MAX_RESULTS;
  const { jurisdictionOf, listServiceEntries } = catalogue;

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
        await repository.listPublicRequests(db, {
          regionPrefix,
          caseNumbers: ids,
          limit: MAX_RESULTS,
          sources,
        }),
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
    const { from, before } = window(params);
    const rows = await repository.listPublicRequests(db, {
      regionPrefix,
      ...(categoryIds ? { categoryIds } : {}),
      from,
      before,
      ...(closed !== undefined ? { closed } : {}),
      limit: pageSize,
      sources,
    });
    return requestsDocument(rows, locale);
  }

  async function getRequest(params: Open311Params, id: string, locale: Locale): Promise<Open311Document> {
    const regionPrefix = await jurisdictionOf(params);
    const rows = await repository.listPublicRequests(db, {
      regionPrefix,
      caseNumbers: [id],
      limit: 1,
      sources,
    });
    if (rows.length === 0) {
      throw new Open311Error(
        404,
        t(`未找到 service_request_id：${id}`, `service_request_id not found: ${id}`),
      );
    }
    return requestsDocument(rows, locale);
  }

  /**
   * The start and end of a date range: given, or the spec's default of the latest 90 days; never longer.
   * Both ends are whole seconds, as every datetime is printed: the range runs from the start of start_date's
   * second to the end of end_date's, so a request lies in the range that starts and ends at its own
   * requested_datetime, and paging back with end_date = the oldest datetime seen loses nothing.
   */
  function window(params: Open311Params): { from: Date; before: Date } {
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
    return { from: floorSecond(from), before: new Date(floorSecond(to).getTime() + SECOND_MS) };
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
    const { from, before } = window(params);
    const rows = await repository.listPublicSteps(db, {
      regionPrefix,
      from,
      before,
      actions: PUBLIC_ACTIONS,
      limit: pageSize,
      sources,
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

  return { tokenStatus, listRequests, getRequest, listUpdates };
}
