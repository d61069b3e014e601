import type { z } from 'zod';
import type { Locale, LocalizedText } from '../../../shared/errors.ts';
import {
  normalizeTicketCode,
  type PortalCategory,
  type PortalReportAnswer,
  type PublicTicket,
  type portalRatingSchema,
  type portalReportSchema,
  TICKET_CODE_PATTERN,
} from '../../../shared/portal.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import type { EvidenceService } from '../cases/evidence.service.ts';
import { type Actor, systemActor } from '../people/actor.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { checkFormToken, isRatingKey, issueFormToken, MAX_FILL_MS, ratingKeyOf } from './form-token.ts';
import { presentTicket } from './portal.presenter.ts';
import * as repository from './portal.repository.ts';

export type PortalReportInput = z.infer<typeof portalReportSchema>;
export type PortalRatingInput = z.infer<typeof portalRatingSchema>;

/**
 * Who the portal's writes are made as: nobody signed in. Reports land in any grid (the whole territory is its
 * scope), are recorded as reported by "市民（公众门户）", and carry no reporter unless the resident gave a name.
 */
const PORTAL_ACTOR: Actor = { ...systemActor('portal'), name: '市民（公众门户）', scopeName: '公众门户' };

const GRID_CACHE_MS = 5 * 60_000;

const TEXT = {
  refused: {
    zh: '提交未被接受，请刷新页面后重新填写',
    en: 'The report was not accepted. Reload the page and fill it in again',
  },
  tooSoon: {
    zh: '提交过快，请确认内容后再提交',
    en: 'Sent too quickly. Check what you wrote and send it again',
  },
  expired: {
    zh: '页面打开太久，已失效，请重新提交',
    en: 'The form was open too long. Send it again',
  },
  used: {
    zh: '该表单已经提交过，请刷新页面后再报告新的问题',
    en: 'This form was sent already. Reload the page to report another problem',
  },
  notPublic: { zh: '请选择列出的问题类别', en: 'Choose one of the listed problem types' },
  ticket: { zh: '受理查询码', en: 'Ticket' },
  wrongKey: {
    zh: '评价码不正确：只有上报人可以评价',
    en: 'Wrong rating key: only the person who reported it may rate it',
  },
  notPortal: {
    zh: '该案件不是通过本门户上报的，无法在此评价',
    en: 'This case was not reported on this portal and cannot be rated here',
  },
  notClosed: { zh: '案件结案后才能评价', en: 'A case can be rated once it is closed' },
  rated: { zh: '该案件已经评价过了', en: 'This case has been rated already' },
} satisfies Record<string, LocalizedText>;

export interface PortalServiceDeps {
  db: Db;
  clock: Clock;
  cases: Pick<CaseService, 'reportCase' | 'getPublicCase' | 'actOnCase' | 'ticketCodeOf'>;
  categories: Pick<CategoryService, 'getCategoryTree' | 'listAttributes'>;
  evidence: Pick<EvidenceService, 'uploadEvidence' | 'readPublicEvidence'>;
  territory: Pick<TerritoryService, 'listGridFeatures'>;
}

export type PortalService = ReturnType<typeof createPortalService>;

/**
 * The public resident portal (docs/API.md "Public portal"): report a problem without an account, follow it by
 * its ticket code (random per case, never the guessable case number), rate the handling once it is closed. Reuses the case loop as it is:
 * a report is `reportCase` with source `resident`, the timeline the public view of the case (public-case.ts,
 * shared with Open311), a rating the workflow's `rate` step.
 */
export function createPortalService(deps: PortalServiceDeps) {
  const { db, clock, cases, categories, evidence, territory } = deps;
  let secret: Promise<string> | null = null;
  const portalSecret = () => {
    secret ??= repository.readSecret(db).catch((error: unknown) => {
      secret = null;
      throw error;
    });
    return secret;
  };
  let grids: { at: number; value: Promise<unknown> } | null = null;

  /** Public, active minor classes, by major class, with their extra fields: what a resident may report. */
  async function listCategories(): Promise<PortalCategory[]> {
    const tree = await categories.getCategoryTree();
    const attributes = await categories.listAttributes(null);
    return tree.flatMap((major) =>
      major.children
        .filter((c) => c.public && c.active)
        .map((c) => ({
          id: c.id,
          code: c.code,
          name: c.name,
          group: major.name,
          attributes: attributes.get(c.id) ?? [],
        })),
    );
  }

  /** The leaf grids for the report map: boundaries and names, without the people responsible. */
  function listGrids() {
    const now = clock.now().getTime();
    if (!grids || now - grids.at > GRID_CACHE_MS) {
      const value = territory.listGridFeatures(PORTAL_ACTOR, { level: 'leaf' }).then((collection) => ({
        type: collection.type,
        features: collection.features.map((f) => ({
          type: f.type,
          geometry: f.geometry,
          properties: { ...f.properties, gridWorkers: [] as string[] },
        })),
      }));
      value.catch(() => {
        grids = null;
      });
      grids = { at: now, value };
    }
    return grids.value;
  }

  async function formToken(): Promise<{ token: string }> {
    return { token: issueFormToken(await portalSecret(), clock.now()) };
  }

  async function uploadPhoto(bytes: Buffer): Promise<{ id: string }> {
    const { id } = await evidence.uploadEvidence(PORTAL_ACTOR, bytes);
    return { id };
  }

  /**
   * A resident's report: refused when the hidden field is filled in or the form token is missing, forged, too
   * young, too old or used by another report (a resend of the same report, by its client key, goes on to
   * answer with the case the first try made). The name and phone, when given, are the case's private reporter fields (staff only).
   * Extra fields are refused in the resident's language.
   */
  async function report(input: PortalReportInput, locale: Locale): Promise<PortalReportAnswer> {
    const clientKey = await admitForm(input, 'portal');
    const key = await portalSecret();
    if (!(await listCategories()).some((c) => c.id === input.categoryId)) throw refused(TEXT.notPublic);
    const created = await cases.reportCase(
      { ...PORTAL_ACTOR, locale },
      {
        categoryId: input.categoryId,
        description: input.description,
        lon: input.lon,
        lat: input.lat,
        ...(input.photos.length ? { evidence: input.photos } : {}),
        ...(input.name ? { reporterName: input.name } : {}),
        ...(input.phone ? { reporterPhone: input.phone } : {}),
        ...(clientKey ? { clientKey } : {}),
        ...(input.attributes ? { attributes: input.attributes } : {}),
      },
      'resident',
    );
    return {
      ticketNo: await cases.ticketCodeOf(created.id),
      ratingKey: ratingKeyOf(key, created.caseNumber),
    };
  }

  /**
   * The gate every public form passes (a report here, a registration in forms/registration.service.ts): refused
   * when the hidden field is filled in or the form token is missing, forged, too young, too old or used by
   * another submission; a resend of the same submission (same client key) passes, so it can answer with what the
   * first try made. Gives the client key, prefixed with the form's kind, or null without one.
   */
  async function admitForm(
    input: { formToken: string; website?: string | undefined; clientKey?: string | undefined },
    kind: string,
  ): Promise<string | null> {
    if (input.website) throw refused(TEXT.refused);
    const key = await portalSecret();
    const now = clock.now();
    const check = checkFormToken(key, input.formToken, now);
    if (!check.ok) {
      const reason = check.reason;
      throw refused(reason === 'tooSoon' ? TEXT.tooSoon : reason === 'expired' ? TEXT.expired : TEXT.refused);
    }
    const clientKey = input.clientKey ? `${kind}:${input.clientKey}` : null;
    const spent = await repository.spendFormToken(db, { signature: check.signature, clientKey, at: now });
    if (spent === 'used') throw refused(TEXT.used);
    if (spent === 'first') {
      // Rows a token past its age could match no longer matter (an hour's margin for clocks between processes).
      await repository.pruneFormTokens(db, new Date(now.getTime() - MAX_FILL_MS - 3_600_000));
    }
    return clientKey;
  }

  /**
   * The case a ticket code names, if the public may read it (public category, public source); anything else —
   * a case number, a code of an inspection or a hotline order, a typo — is not found, all alike.
   */
  async function publicCase(ticketNo: string) {
    const code = normalizeTicketCode(ticketNo);
    const found = TICKET_CODE_PATTERN.test(code) ? await cases.getPublicCase(code) : undefined;
    if (!found) throw new AppError('NOT_FOUND', { entity: TEXT.ticket, id: ticketNo });
    return found;
  }

  async function getTicket(ticketNo: string, locale: 'zh-CN' | 'en-US'): Promise<PublicTicket> {
    return presentTicket(await publicCase(ticketNo), locale);
  }

  /** A public photo of a ticket; any other photo, or one staff hid, does not exist here. */
  async function readPhoto(ticketNo: string, photoId: string, variant: 'original' | 'thumbnail') {
    const found = await publicCase(ticketNo);
    if (!found.photos.some((p) => p.id === photoId)) {
      throw new AppError('NOT_FOUND', { entity: { zh: '照片', en: 'Photo' }, id: photoId });
    }
    return evidence.readPublicEvidence(photoId, variant);
  }

  /**
   * The reporter rates the handling of a closed portal case, once, with the key given at reporting: the
   * workflow's `rate` step, so the score lands in the case's satisfaction like a callback's would.
   */
  async function rate(ticketNo: string, input: PortalRatingInput, locale: 'zh-CN' | 'en-US') {
    const found = await publicCase(ticketNo);
    // The rating key is signed over the case number, so keys given before ticket codes still work.
    if (!isRatingKey(await portalSecret(), found.caseNumber, input.ratingKey)) {
      throw refused(TEXT.wrongKey);
    }
    if (found.source !== 'resident') throw refused(TEXT.notPortal);
    if (found.state !== 'closed') throw refused(TEXT.notClosed);
    if (found.satisfaction !== null) throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.rated });
    await cases.actOnCase(PORTAL_ACTOR, {
      caseId: found.id,
      action: 'rate',
      version: found.version,
      input: { score: input.score, ...(input.comment ? { comment: input.comment } : {}) },
    });
    return getTicket(found.ticketCode, locale);
  }

  return {
    listCategories,
    listGrids,
    formToken,
    admitForm,
    uploadPhoto,
    report,
    getTicket,
    readPhoto,
    rate,
  };
}

function refused(summary: LocalizedText): AppError {
  return new AppError('VALIDATION_FAILED', { summary });
}
