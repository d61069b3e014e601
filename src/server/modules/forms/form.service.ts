import type { Locale, LocalizedText } from '../../../shared/errors.ts';
import { say } from '../../../shared/errors.ts';
import { validateAnswers } from '../../../shared/form-answers.ts';
import {
  type Answers,
  type FormDefinition,
  type FormDetail,
  type FormSummary,
  type FormText,
  type FormVersion,
  formDefinitionSchema,
  formTextSchema,
  type XlsformImportResult,
} from '../../../shared/forms.ts';
import type { ImportRowError } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import { invalidFields } from '../patrols/patrol.policy.ts';
import type { Actor } from '../people/actor.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import {
  assertMayBuildForms,
  assertMayEditForm,
  FORM,
  FORM_VERSION,
  formReader,
  mayEditForm,
} from './form.policy.ts';
import { presentFormDetail, presentFormSummary, presentFormVersion } from './form.presenter.ts';
import * as repo from './form.repository.ts';
import { type ParsedXlsform, readXlsform } from './form-xlsform.ts';

const TEXT = {
  codeTaken: { zh: '表单代码 {code} 已被使用', en: 'form code {code} is taken' },
  noRegion: {
    zh: '请指定表单所属的区划（regionCode）',
    en: 'give the region the form belongs to (regionCode)',
  },
  unknownRegion: { zh: '区划 {code} 不存在', en: 'region {code} does not exist' },
  category: {
    zh: '选项 {choice} 的立案类别 {code} 不是启用中的事件小类代码（如 06011）',
    en: 'choice {choice}: case category {code} is not an active matter minor class code (e.g. 06011)',
  },
  noCode: {
    zh: '请在导入时指定表单代码（code），或在 settings 表中填写 form_id',
    en: 'give the form code (code) with the import, or a form_id in the settings sheet',
  },
  badCode: {
    zh: '表单代码“{code}”无效：应为 2–40 位字母、数字、_ 或 -',
    en: 'form code "{code}" is invalid: use 2–40 letters, digits, _ or -',
  },
  noTitle: {
    zh: '请在 settings 表中填写 form_title',
    en: 'give the form a title (form_title in the settings sheet)',
  },
  noQuestions: { zh: 'survey 表中没有题目', en: 'the survey sheet has no questions' },
  alreadyPublished: {
    zh: '当前版本已发布，没有待发布的草稿',
    en: 'the current version is published: no draft to publish',
  },
  noPublished: { zh: '表单 {code} 还没有发布的版本', en: 'form {code} has no published version yet' },
} as const satisfies Record<string, LocalizedText>;

/** A form's text as the bilingual message helpers take it (English falls back to Chinese). */
function both(text: FormText): LocalizedText {
  return { zh: text.zh, en: text.en ?? text.zh };
}

export interface XlsformImportFile {
  bytes: Buffer;
  fileName: string;
  code?: string | undefined;
  regionCode?: string | undefined;
  dryRun?: boolean | undefined;
}

export type FormService = ReturnType<typeof createFormService>;

/** Form definitions (表单): build, version, publish, import from XLSForm; the engine other modules fill in. */
export function createFormService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  categories: Pick<CategoryService, 'getCategoryTree'>;
  territory: Pick<TerritoryService, 'getRegionSummary'>;
}) {
  const { db, clock, audit, categories, territory } = deps;

  async function resolveRegion(actor: Actor, regionCode: string | undefined): Promise<string> {
    const code = regionCode ?? actor.scopeCode;
    if (!code) throw invalidFields(actor, [{ path: 'regionCode', text: TEXT.noRegion }]);
    try {
      await territory.getRegionSummary(code);
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        throw invalidFields(actor, [{ path: 'regionCode', text: fillText(TEXT.unknownRegion, { code }) }]);
      }
      throw error;
    }
    return code;
  }

  /** The choices whose raisesCase names no active matter minor class: `[questionIndex, choice, code]`. */
  async function badCategories(definition: FormDefinition): Promise<[number, string, string][]> {
    const wanted = definition.questions.some((q) => q.choices?.some((c) => c.raisesCase));
    if (!wanted) return [];
    const tree = await categories.getCategoryTree();
    const matters = new Set(
      tree.flatMap((major) =>
        major.children.filter((c) => c.active && c.kind === 'matter').map((c) => c.code),
      ),
    );
    const bad: [number, string, string][] = [];
    definition.questions.forEach((q, i) => {
      for (const c of q.choices ?? []) {
        if (c.raisesCase && !matters.has(c.raisesCase.categoryCode))
          bad.push([i, c.value, c.raisesCase.categoryCode]);
      }
    });
    return bad;
  }

  async function assertCategories(
    actor: Actor,
    definition: FormDefinition,
    path = 'definition',
  ): Promise<void> {
    const bad = await badCategories(definition);
    if (bad.length === 0) return;
    throw invalidFields(
      actor,
      bad.map(([i, choice, code]) => ({
        path: `${path}.questions.${i}.choices`,
        text: fillText(TEXT.category, { choice, code }),
      })),
    );
  }

  async function loadForm(actor: Actor, id: number): Promise<repo.FormWithAuthor> {
    const form = await repo.findForm(db, formReader(actor), id);
    if (!form) throw notFound(FORM, id);
    return form;
  }

  function auditEntry(
    actor: Actor,
    action: string,
    form: { id: number; code: string; region_code: string },
    details: Record<string, unknown>,
  ) {
    return {
      actor,
      action,
      entityType: 'form',
      entityId: form.id,
      countyCode: form.region_code.length >= 6 ? form.region_code.slice(0, 6) : null,
      details: { code: form.code, regionCode: form.region_code, ...details },
    };
  }

  async function listForms(
    actor: Actor,
    query: { q?: string | undefined; publishedOnly?: boolean },
  ): Promise<FormSummary[]> {
    const forms = await repo.listForms(db, formReader(actor), { q: query.q });
    const heads = await repo.listVersionHeads(
      db,
      forms.map((f) => f.id),
    );
    return forms.flatMap((form) => {
      const own = heads.filter((h) => h.form_id === form.id);
      const summary = presentFormSummary(form, own, mayEditForm(actor, form.region_code));
      return query.publishedOnly && summary.publishedVersion === null ? [] : [summary];
    });
  }

  async function detailOf(actor: Actor, form: repo.FormWithAuthor): Promise<FormDetail> {
    const [heads, current] = await Promise.all([
      repo.listVersionHeads(db, [form.id]),
      repo.findLatestVersion(db, form.id, { publishedOnly: false }),
    ]);
    if (!current) throw notFound(FORM_VERSION, form.id);
    return presentFormDetail(form, heads, current, mayEditForm(actor, form.region_code));
  }

  /** One form with its newest version's questions and the list of its versions. */
  async function getForm(actor: Actor, id: number): Promise<FormDetail> {
    return detailOf(actor, await loadForm(actor, id));
  }

  /** One version's questions, for whoever reads its form (the preview, the phone filling it in). */
  async function getVersion(actor: Actor, versionId: number): Promise<FormVersion> {
    const row = await repo.findVersion(db, versionId);
    const form = row && (await repo.findForm(db, formReader(actor), row.form_id));
    if (!row || !form) throw notFound(FORM_VERSION, versionId);
    return presentFormVersion(form, row);
  }

  async function refuseTakenCode(actor: Actor, code: string): Promise<void> {
    if (await repo.findFormByCode(db, code)) {
      throw invalidFields(actor, [{ path: 'code', text: fillText(TEXT.codeTaken, { code }) }]);
    }
  }

  /** Writes a new form with its first version, a draft (or published, for the demo load). */
  async function insertForm(
    trx: Db,
    actor: Actor,
    values: {
      code: string;
      title: FormText;
      regionCode: string;
      definition: FormDefinition;
      publish?: boolean;
      synthetic?: boolean;
    },
  ): Promise<number> {
    const at = clock.now();
    const createdBy = actor.system ? null : actor.id;
    const id = await repo.insertForm(trx, {
      code: values.code,
      title: values.title,
      region_code: values.regionCode,
      county_code: values.regionCode.slice(0, 6),
      created_by: createdBy,
      synthetic: values.synthetic ?? false,
      at,
    });
    await repo.insertVersion(trx, {
      form_id: id,
      version: 1,
      title: values.title,
      definition: values.definition,
      published_at: values.publish ? at : null,
      created_by: createdBy,
      at,
    });
    return id;
  }

  /** Creates a form (version 1, a draft) owned by the given region, or the author's scope. */
  async function createForm(
    actor: Actor,
    input: { code: string; title: FormText; regionCode?: string | undefined; definition: FormDefinition },
    options: { publish?: boolean; synthetic?: boolean; fileName?: string } = {},
  ): Promise<FormDetail> {
    assertMayBuildForms(actor);
    const regionCode = await resolveRegion(actor, input.regionCode);
    assertMayEditForm(actor, regionCode);
    await refuseTakenCode(actor, input.code);
    await assertCategories(actor, input.definition);
    const id = await db.transaction().execute(async (trx) => {
      const formId = await insertForm(trx, actor, { ...input, regionCode, ...options });
      await audit.record(
        trx,
        auditEntry(
          actor,
          options.fileName ? 'form.import' : 'form.create',
          { id: formId, code: input.code, region_code: regionCode },
          {
            questions: input.definition.questions.length,
            published: options.publish ?? false,
            ...(options.fileName ? { fileName: options.fileName } : {}),
          },
        ),
      );
      return formId;
    });
    return getForm(actor, id);
  }

  /**
   * Saves the editor's questions: the draft changes in place; when the newest version is published it stays
   * as it is and the questions become the next version, a draft.
   */
  async function saveDraft(
    actor: Actor,
    id: number,
    input: { title?: FormText | undefined; definition: FormDefinition; rowVersion: number },
    options: { fileName?: string } = {},
  ): Promise<FormDetail> {
    const form = await loadForm(actor, id);
    assertMayEditForm(actor, form.region_code);
    await assertCategories(actor, input.definition);
    const title = input.title ?? form.title;
    await db.transaction().execute(async (trx) => {
      const at = clock.now();
      if (!(await repo.claimForm(trx, id, input.rowVersion, { at, title })))
        throw conflict(FORM, form.row_version);
      const latest = await repo.findLatestVersion(trx, id, { publishedOnly: false });
      const inPlace = latest !== undefined && latest.published_at === null;
      if (inPlace) await repo.updateDraft(trx, latest.id, { title, definition: input.definition });
      const version = inPlace ? latest.version : (latest?.version ?? 0) + 1;
      if (!inPlace) {
        await repo.insertVersion(trx, {
          form_id: id,
          version,
          title,
          definition: input.definition,
          published_at: null,
          created_by: actor.system ? null : actor.id,
          at,
        });
      }
      await audit.record(
        trx,
        auditEntry(actor, options.fileName ? 'form.import' : inPlace ? 'form.update' : 'form.version', form, {
          version,
          questions: input.definition.questions.length,
          ...(options.fileName ? { fileName: options.fileName } : {}),
        }),
      );
    });
    return getForm(actor, id);
  }

  /** Publishes the draft: it never changes again, and campaigns starting from now use it. */
  async function publishForm(actor: Actor, id: number, rowVersion: number): Promise<FormDetail> {
    const form = await loadForm(actor, id);
    assertMayEditForm(actor, form.region_code);
    await db.transaction().execute(async (trx) => {
      const at = clock.now();
      const latest = await repo.findLatestVersion(trx, id, { publishedOnly: false });
      if (!latest || latest.published_at !== null) {
        throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.alreadyPublished });
      }
      if (!(await repo.claimForm(trx, id, rowVersion, { at }))) throw conflict(FORM, form.row_version);
      await repo.publishDraft(trx, latest.id, at);
      await audit.record(trx, auditEntry(actor, 'form.publish', form, { version: latest.version }));
    });
    return getForm(actor, id);
  }

  /**
   * Imports an XLSForm as a new form (a draft), or as the next draft version of the form with that code. Any
   * row outside the supported subset rejects the whole file: 422 IMPORT_REJECTED lists every row and reason.
   */
  async function importXlsform(actor: Actor, file: XlsformImportFile): Promise<XlsformImportResult> {
    assertMayBuildForms(actor);
    const parsed = await readXlsform(file.bytes);
    const code = file.code ?? parsed.formId;
    if (!code) throw invalidFields(actor, [{ path: 'code', text: TEXT.noCode }]);
    if (!/^[A-Za-z0-9_-]{2,40}$/.test(code)) {
      throw invalidFields(actor, [{ path: 'code', text: fillText(TEXT.badCode, { code }) }]);
    }
    const existing = await repo.findFormByCode(db, code);
    const visible = existing && (await repo.findForm(db, formReader(actor), existing.id));
    if (existing && !visible)
      throw invalidFields(actor, [{ path: 'code', text: fillText(TEXT.codeTaken, { code }) }]);
    const regionCode = visible ? visible.region_code : await resolveRegion(actor, file.regionCode);
    assertMayEditForm(actor, regionCode);
    const title = parsed.title ?? visible?.title;
    if (!title || !formTextSchema.safeParse(title).success)
      throw invalidFields(actor, [{ path: 'title', text: TEXT.noTitle }]);

    const definition = await checkParsed(actor.locale, parsed);
    if (file.dryRun) {
      return { applied: false, code, newForm: !visible, questions: definition.questions.length, form: null };
    }
    if (!visible) {
      const detail = await createForm(
        actor,
        { code, title, regionCode, definition },
        { fileName: file.fileName },
      );
      return { applied: true, code, newForm: true, questions: definition.questions.length, form: detail };
    }
    const detail = await saveDraft(
      actor,
      visible.id,
      { title, definition, rowVersion: visible.row_version },
      { fileName: file.fileName },
    );
    return { applied: true, code, newForm: false, questions: definition.questions.length, form: detail };
  }

  /** The parsed questions as a valid definition, or IMPORT_REJECTED with every problem on its row. */
  async function checkParsed(locale: Locale, parsed: ParsedXlsform): Promise<FormDefinition> {
    const errors: ImportRowError[] = parsed.problems.map((p) => ({
      line: p.row,
      code: p.sheet,
      reason: say(p.reason, locale),
    }));
    const rowOfPath = (path: readonly PropertyKey[]): number => {
      const index = typeof path[1] === 'number' ? path[1] : 0;
      return parsed.questionRows[index] ?? 1;
    };
    let definition: FormDefinition | null = null;
    if (errors.length === 0) {
      if (parsed.questions.length === 0)
        errors.push({ line: 1, code: 'survey', reason: say(TEXT.noQuestions, locale) });
      const result = formDefinitionSchema.safeParse({ questions: parsed.questions });
      if (result.success) definition = result.data;
      else {
        for (const issue of result.error.issues) {
          const message = issue.message.includes('|') ? issue.message : `${issue.message}|${issue.message}`;
          const [zh, en] = message.split('|') as [string, string];
          errors.push({
            line: rowOfPath(issue.path),
            code: 'survey',
            reason: `${issue.path.slice(2).join('.') || 'question'}: ${locale === 'en-US' ? en : zh}`,
          });
        }
      }
    }
    if (definition) {
      for (const [index, choice, categoryCode] of await badCategories(definition)) {
        const list = parsed.questionLists[index];
        errors.push({
          line: parsed.choiceRows.get(`${list} ${choice}`) ?? parsed.questionRows[index] ?? 1,
          code: 'choices',
          reason: say(fillText(TEXT.category, { choice, code: categoryCode }), locale),
        });
      }
    }
    if (errors.length || !definition) {
      const sheetOrder = (sheet: string | undefined) =>
        ['survey', 'choices', 'settings'].indexOf(sheet ?? '');
      errors.sort((a, b) => sheetOrder(a.code) - sheetOrder(b.code) || a.line - b.line);
      throw new AppError(
        'IMPORT_REJECTED',
        { count: new Set(errors.map((e) => `${e.code} ${e.line}`)).size },
        {
          applied: false,
          total: parsed.questions.length + parsed.problems.length,
          created: 0,
          updated: 0,
          unchanged: 0,
          errors,
        },
      );
    }
    return definition;
  }

  /** A version's questions, for the modules that collect answers (they check access to their own records). */
  async function getFormVersion(versionId: number): Promise<FormVersion> {
    const row = await repo.findVersion(db, versionId);
    const form = row && (await repo.findFormById(db, row.form_id));
    if (!row || !form) throw notFound(FORM_VERSION, versionId);
    return presentFormVersion(form, row);
  }

  /** The newest published version of a form the actor reads (a campaign being set up on it); 4xx if none. */
  async function getPublishedForm(actor: Actor, formId: number): Promise<FormVersion> {
    const form = await loadForm(actor, formId);
    const row = await repo.findLatestVersion(db, form.id, { publishedOnly: true });
    if (!row) {
      throw invalidFields(actor, [{ path: 'formId', text: fillText(TEXT.noPublished, { code: form.code }) }]);
    }
    return presentFormVersion(form, row);
  }

  /** The newest published version of a form by code (a campaign created from the CLI or the demo). */
  async function getPublishedVersion(code: string): Promise<FormVersion> {
    const form = await repo.findFormByCode(db, code);
    if (!form) throw notFound(FORM, code);
    const row = await repo.findLatestVersion(db, form.id, { publishedOnly: true });
    if (!row) throw new AppError('ILLEGAL_TRANSITION', { text: fillText(TEXT.noPublished, { code }) });
    return presentFormVersion(form, row);
  }

  /**
   * Checks submitted answers against a version: the clean answers (hidden questions' answers dropped), or a
   * 400 naming each question as answers.<name> with the form's own message.
   */
  function checkAnswers(actor: Actor, version: FormVersion, answers: Answers, path = 'answers'): Answers {
    const check = validateAnswers(version.definition, answers, { today: clock.now() });
    if (check.problems.length) {
      throw invalidFields(
        actor,
        check.problems.map((p) => ({ path: `${path}.${p.name}`, text: both(p.message) })),
      );
    }
    return check.answers;
  }

  return {
    listForms,
    getForm,
    getVersion,
    createForm,
    saveDraft,
    publishForm,
    importXlsform,
    getFormVersion,
    getPublishedForm,
    getPublishedVersion,
    checkAnswers,
  };
}

function fillText(text: LocalizedText, params: Record<string, string>): LocalizedText {
  return { zh: say(text, 'zh-CN', params), en: say(text, 'en-US', params) };
}
