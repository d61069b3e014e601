import {
  type ErrorParams,
  type LocalizedText,
  labelWithCode,
  localize,
  say,
} from '../../../shared/errors.ts';
import {
  type AccountabilityEntry,
  type CreateTaskBookInput,
  MAX_TASK_BOOK_BYTES,
  type TaskBook,
  type TaskBookImportQuery,
  type TaskBookListQuery,
} from '../../../shared/task-books.ts';
import type { ImportReport } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { nextNumber } from '../../db/number-counters.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import { civilDateOf, type WorkingCalendar } from '../calendar/working-time.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import { assertRole } from '../people/access.policy.ts';
import { type Actor, systemActor } from '../people/actor.ts';
import { caseScope, regionScope, scopeHoldsRegion, unscoped } from '../people/scope.ts';
import type { PeopleService } from '../people/user.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { canSeeCampaign } from './campaign.policy.ts';
import { presentAccountabilityEntry, presentBook, presentTask } from './task-book.presenter.ts';
import * as repo from './task-book.repository.ts';
import { formatAccountability, formatTaskBook, readTaskSheet, type TaskSheetRow } from './task-book-xlsx.ts';
import { endOfDate } from './working-day.ts';

const TEXT = {
  taskBook: { zh: '任务书', en: 'Task book' },
  campaign: { zh: '专项行动', en: 'Campaign' },
  issue: { zh: '下达任务书', en: 'Issue a task book' },
  inactiveCategory: { zh: '该分类已停用或不是小类', en: 'This category is inactive or not a minor class' },
  pastDeadline: {
    zh: '完成时限 {deadline} 已过（今天是 {today}），请选择今天或以后的日期',
    en: 'the deadline {deadline} has passed (today is {today}): choose today or a later date',
  },
  unknownDepartment: { zh: '责任单位“{value}”不存在', en: 'no responsible unit "{value}"' },
  ambiguousDepartment: {
    zh: '责任单位“{value}”对应多个部门：{candidates}，请填写部门代码',
    en: 'the unit "{value}" matches several departments: {candidates}; give its code',
  },
  departmentElsewhere: {
    zh: '责任单位 {department} 不负责任务书所辖区域 {region}',
    en: 'the unit {department} does not serve the book’s area {region}',
  },
  unknownRegion: { zh: '区域“{value}”不存在或不在 {region} 内', en: 'no region "{value}" within {region}' },
  ambiguousRegion: {
    zh: '区域名称“{value}”对应多个区域：{candidates}，请填写代码',
    en: 'the region name "{value}" matches several regions: {candidates}; give the code',
  },
  regionOutside: {
    zh: '区域 {value} 不在任务书所辖区域 {region} 内',
    en: 'region {value} is outside the book’s area {region}',
  },
  regionLevel: {
    zh: '区域 {value} 在区县以上：请写明任务所在的区县、镇街、村居或网格',
    en: 'region {value} is above a county: name the county, town, village or grid of the task',
  },
  required: { zh: '「{column}」必须填写', en: '"{column}" is required' },
  tooLong: { zh: '「{column}」超过 {max} 字', en: '"{column}" is longer than {max} characters' },
  noBody: { zh: '请以 XLSX 文件作为请求体上传', en: 'send the XLSX file as the request body' },
  issueNote: { zh: '任务书 {number}：{title}', en: 'Task book {number}: {title}' },
} as const satisfies Record<string, LocalizedText>;

const ISSUING_ROLES = ['administrator', 'leader', 'inspector'] as const;
/** Tasks issued at once: their reports share the intake's statements (see case-intake.ts). */
const ISSUE_TOGETHER = 16;

/** A task checked and placed, ready to be written. */
interface ResolvedTask {
  description: string;
  departmentId: number;
  regionCode: string;
  responsibleName: string;
}

/** A task as entered or read from a row, before the checks against the book's area. */
interface TaskCandidate {
  description: string;
  departmentId: number;
  regionCode?: string | undefined;
  responsibleName: string;
}

/** What is wrong with one task: its index in the input, the field, and why. */
interface TaskProblem {
  index: number;
  field: string;
  text: LocalizedText;
}

type Department = Awaited<ReturnType<PeopleService['listDepartmentRefs']>>[number];

export interface TaskBookServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  calendar: Pick<CalendarService, 'getCalendar'>;
  territory: Pick<TerritoryService, 'getRegionSummary' | 'getRegionTree'>;
  categories: Pick<CategoryService, 'getCategory'>;
  people: Pick<PeopleService, 'listDepartmentRefs'>;
  cases: Pick<CaseService, 'reportCase' | 'actOnCase'>;
}

export type TaskBookService = ReturnType<typeof createTaskBookService>;

/**
 * Task books (任务书): rectification tasks with one fixed deadline issued to named units, each run as a case of
 * the loop — reported in the task's region in the book's category, registered and dispatched to the unit at
 * once, its handling step due at the end of the deadline day. The case loop turns it red and escalates it (督办)
 * when the sweep finds it overdue; the book reads each task's standing off its case, and lists the unfinished
 * ones for accountability (问责).
 */
export function createTaskBookService(deps: TaskBookServiceDeps) {
  const { db, clock, audit, calendar, territory, categories, people, cases } = deps;

  const today = (working: WorkingCalendar) => civilDateOf(clock.now().getTime(), working.hours.timeZone);

  /** The book-level checks of an issue: role, scope, region, campaign, category and deadline. */
  async function checkBook(actor: Actor, book: Omit<CreateTaskBookInput, 'tasks'>) {
    assertRole(actor, ISSUING_ROLES, TEXT.issue);
    const region = await territory.getRegionSummary(book.regionCode);
    if (!scopeHoldsRegion(regionScope(actor), region.code)) {
      throw new AppError('FORBIDDEN_SCOPE', {
        target: labelWithCode(region.name, region.code),
        scope: actor.scopeName,
      });
    }
    if (book.campaignId !== undefined) {
      const campaign = await repo.findCampaignFacts(db, book.campaignId);
      // A campaign the issuer may not see (a covert one of another office) is not named as existing.
      if (!campaign || !canSeeCampaign(actor, campaign)) throw notFound(TEXT.campaign, book.campaignId);
    }
    const category = await categories.getCategory(book.categoryId);
    if (!category.active || category.parentId === null) {
      throw new AppError('VALIDATION_FAILED', { summary: TEXT.inactiveCategory });
    }
    const working = await calendar.getCalendar();
    const now = today(working);
    if (book.deadline < now) {
      throw new AppError('VALIDATION_FAILED', {
        summary: {
          zh: say(TEXT.pastDeadline, 'zh-CN', { deadline: book.deadline, today: now }),
          en: say(TEXT.pastDeadline, 'en-US', { deadline: book.deadline, today: now }),
        },
      });
    }
    return { region, working };
  }

  /**
   * Checks each task against the book's area: its unit serves the area (the unit's region holds it or lies in
   * it), and its region (by default the unit's area when inside the book's, else the book's) lies in the area
   * and is a county or below. Every problem is returned, none thrown.
   */
  async function checkTasks(
    bookRegion: { code: string; name: string },
    tasks: readonly TaskCandidate[],
    departments: ReadonlyMap<number, Department>,
  ): Promise<{ resolved: ResolvedTask[]; problems: TaskProblem[] }> {
    const problems: TaskProblem[] = [];
    const resolved: ResolvedTask[] = [];
    const area = labelWithCode(bookRegion.name, bookRegion.code);
    const known = new Map<string, Promise<boolean>>();
    const exists = (code: string) => {
      let found = known.get(code);
      if (!found) {
        found = territory.getRegionSummary(code).then(
          () => true,
          (error: unknown) => {
            if (error instanceof AppError && error.code === 'NOT_FOUND') return false;
            throw error;
          },
        );
        known.set(code, found);
      }
      return found;
    };
    for (const [index, task] of tasks.entries()) {
      const department = departments.get(task.departmentId);
      if (!department) {
        problems.push({
          index,
          field: 'departmentId',
          text: fill(TEXT.unknownDepartment, { value: task.departmentId }),
        });
        continue;
      }
      const serves =
        bookRegion.code.startsWith(department.region_code) ||
        department.region_code.startsWith(bookRegion.code);
      if (!serves) {
        const named = labelWithCode(department.name, department.code);
        problems.push({
          index,
          field: 'departmentId',
          text: fill(TEXT.departmentElsewhere, { department: named, region: area }),
        });
        continue;
      }
      const regionCode =
        task.regionCode ??
        (department.region_code.startsWith(bookRegion.code) ? department.region_code : bookRegion.code);
      let regionProblem: LocalizedText | null = null;
      if (!regionCode.startsWith(bookRegion.code))
        regionProblem = fill(TEXT.regionOutside, { value: regionCode, region: area });
      else if (regionCode.length < 6) regionProblem = fill(TEXT.regionLevel, { value: regionCode });
      else if (!(await exists(regionCode)))
        regionProblem = fill(TEXT.unknownRegion, { value: regionCode, region: area });
      if (regionProblem) {
        problems.push({ index, field: 'regionCode', text: regionProblem });
        continue;
      }
      resolved.push({
        description: task.description,
        departmentId: department.id,
        regionCode,
        responsibleName: task.responsibleName,
      });
    }
    return { resolved, problems };
  }

  const departmentsById = async () => new Map((await people.listDepartmentRefs()).map((d) => [d.id, d]));

  /**
   * Writes the book and its tasks in one transaction with the audit entry, then issues the tasks' cases. The
   * cases are written by the case service, each in its own transaction, so issuing is retry-safe rather than
   * atomic with the book: each case has the client key `taskbook:<book id>:<position>` and is linked to its
   * task in its own transaction, and `issueTaskBook` finishes an issue cut short.
   */
  async function writeAndIssue(
    actor: Actor,
    book: Omit<CreateTaskBookInput, 'tasks'>,
    tasks: readonly ResolvedTask[],
    working: WorkingCalendar,
    source: Record<string, unknown>,
  ): Promise<TaskBook> {
    const now = clock.now();
    const year = Number(civilDateOf(now.getTime(), working.hours.timeZone).slice(0, 4));
    const id = await db.transaction().execute(async (trx) => {
      const number = `RWS-${year}-${String(await nextNumber(trx, 'RWS', year)).padStart(4, '0')}`;
      const bookId = await repo.insertBook(
        trx,
        {
          number,
          title: book.title,
          campaign_id: book.campaignId ?? null,
          region_code: book.regionCode,
          issuer_id: actor.id > 0 ? actor.id : null,
          issuer_name: actor.name,
          category_id: book.categoryId,
          deadline: book.deadline,
          created_at: now,
        },
        tasks.map((t, i) => ({
          position: i + 1,
          description: t.description,
          department_id: t.departmentId,
          region_code: t.regionCode,
          responsible_name: t.responsibleName,
        })),
      );
      await audit.record(trx, {
        actor,
        action: 'taskBook.create',
        entityType: 'taskBook',
        entityId: bookId,
        countyCode: countyOf(book.regionCode),
        details: { number, ...book, tasks, ...source },
      });
      return bookId;
    });
    await issue(actor, id);
    return getTaskBook(actor, id);
  }

  /**
   * Issues every task of the book that is not yet: reports its case (once, by client key), registers it and
   * dispatches it to the unit. Taken by the system on the issuer's authority — the office's book stands in for
   * the dispatcher — and named so in the case's timeline. A case a unit has since returned is left to the
   * dispatchers. Returns how many tasks were moved on.
   */
  async function issue(actor: Actor, bookId: number): Promise<number> {
    const book = await repo.findBook(db, bookId);
    if (!book) throw notFound(TEXT.taskBook, bookId);
    const working = await calendar.getCalendar();
    const due = endOfDate(working, book.deadline);
    const office = systemActor(`${book.issuer_name}（${book.number}）`);
    const tasks = await repo.listTaskFacts(db, { scope: unscoped('task book issue'), bookIds: [bookId] });
    const note = localize(fill(TEXT.issueNote, { number: book.number, title: book.title }), 'zh-CN');
    let moved = 0;
    const issueOne = async (task: repo.TaskFacts) => {
      let current =
        task.case_id === null
          ? await cases.reportCase(
              office,
              {
                clientKey: `taskbook:${bookId}:${task.position}`,
                categoryId: book.category_id,
                description: task.description,
                regionCode: task.region_code,
                reporterName: book.issuer_name.slice(0, 40),
              },
              'inspector',
              {
                deadline: due,
                // The office gives no extra fields: a category's required ones must not refuse its tasks.
                attributes: {},
                details: { taskBookId: bookId, taskBookNumber: book.number, position: task.position },
                alongside: (trx, caseId) => repo.linkTaskCase(trx, task.id, caseId),
              },
            )
          : {
              id: task.case_id,
              state: task.case_state ?? '',
              version: task.case_version ?? 0,
              returnCount: task.case_return_count ?? 0,
            };
      const unissued =
        current.state === 'reported' || (current.state === 'registered' && current.returnCount === 0);
      if (!unissued) return;
      try {
        if (current.state === 'reported')
          current = { ...current, ...(await act(office, current.id, 'register', current.version, { note })) };
        if (current.state === 'registered') {
          await act(office, current.id, 'dispatch', current.version, {
            leadDepartmentId: task.department_id,
            note,
          });
        }
        moved++;
      } catch (error) {
        // Another issue of the same book moved the case on meanwhile: it finishes what this one started.
        if (
          !(error instanceof AppError) ||
          (error.code !== 'CONFLICT' && error.code !== 'ILLEGAL_TRANSITION')
        )
          throw error;
      }
    };
    for (let start = 0; start < tasks.length; start += ISSUE_TOGETHER) {
      await Promise.all(tasks.slice(start, start + ISSUE_TOGETHER).map(issueOne));
    }
    if (moved > 0) {
      await db.transaction().execute((trx) =>
        audit.record(trx, {
          actor,
          action: 'taskBook.issue',
          entityType: 'taskBook',
          entityId: bookId,
          countyCode: countyOf(book.region_code),
          details: { number: book.number, issued: moved, dueAt: due.toISOString() },
        }),
      );
    }
    return moved;
  }

  /** One workflow action on a task's case, at the version read. */
  async function act(
    office: Actor,
    caseId: number,
    action: 'register' | 'dispatch',
    version: number,
    input: object,
  ): Promise<{ state: string; version: number }> {
    const detail = await cases.actOnCase(office, { caseId, action, version, input: input as never });
    return { state: detail.state, version: detail.version };
  }

  /** Creates a task book from entered tasks and issues it. */
  async function createTaskBook(actor: Actor, input: CreateTaskBookInput): Promise<TaskBook> {
    const { tasks, ...book } = input;
    const { region, working } = await checkBook(actor, book);
    const { resolved, problems } = await checkTasks(region, tasks, await departmentsById());
    if (problems.length) {
      const text = joinTexts(problems.map((p) => prefixed(`tasks.${p.index}`, p.text)));
      throw new AppError(
        'VALIDATION_FAILED',
        { summary: text },
        {
          issues: problems.map((p) => ({
            path: `tasks.${p.index}.${p.field}`,
            message: localize(p.text, actor.locale),
          })),
        },
      );
    }
    return writeAndIssue(actor, book, resolved, working, { source: 'entry' });
  }

  /**
   * Creates a task book from an XLSX file, one row a task. All or nothing: a book is one numbered document
   * issued once, so a file with any rejected row writes nothing and answers 422 IMPORT_REJECTED with every
   * rejected row and its reasons (as the territory and category imports do), to correct and send again.
   */
  async function importTaskBook(
    actor: Actor,
    query: TaskBookImportQuery & { fileName?: string | undefined },
    bytes: Buffer,
  ): Promise<TaskBook> {
    const { region, working } = await checkBook(actor, query);
    if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', { summary: TEXT.noBody });
    const rows = await readTaskSheet(bytes, MAX_TASK_BOOK_BYTES);
    const departments = await people.listDepartmentRefs();
    const places = await placeIndex(actor, region.code);
    const problemsOf = new Map<number, LocalizedText[]>();
    const add = (line: number, text: LocalizedText) =>
      problemsOf.set(line, [...(problemsOf.get(line) ?? []), text]);
    const candidates: { row: TaskSheetRow; task: TaskCandidate }[] = [];
    for (const row of rows) {
      const { values } = row;
      if (values.description.length < 2) add(row.line, fill(TEXT.required, { column: '任务内容' }));
      else if (values.description.length > 2000)
        add(row.line, fill(TEXT.tooLong, { column: '任务内容', max: 2000 }));
      if (!values.responsible) add(row.line, fill(TEXT.required, { column: '责任人' }));
      else if (values.responsible.length > 40)
        add(row.line, fill(TEXT.tooLong, { column: '责任人', max: 40 }));
      const department = values.department
        ? matchDepartment(departments, values.department)
        : { problem: fill(TEXT.required, { column: '责任单位' }) };
      if ('problem' in department) add(row.line, department.problem);
      const place = values.region ? matchPlace(places, values.region, region) : { code: undefined };
      if ('problem' in place) add(row.line, place.problem);
      if (problemsOf.has(row.line) || 'problem' in department || 'problem' in place) continue;
      candidates.push({
        row,
        task: {
          description: values.description,
          departmentId: department.id,
          regionCode: place.code,
          responsibleName: values.responsible,
        },
      });
    }
    const checked = await checkTasks(
      region,
      candidates.map((c) => c.task),
      new Map(departments.map((d) => [d.id, d])),
    );
    for (const problem of checked.problems) {
      const line = candidates[problem.index]?.row.line;
      if (line !== undefined) add(line, problem.text);
    }
    if (problemsOf.size) {
      const errors = rows
        .filter((r) => problemsOf.has(r.line))
        .map((r) => ({
          line: r.line,
          ...(r.values.seq ? { code: r.values.seq } : {}),
          reason: (problemsOf.get(r.line) ?? [])
            .map((t) => localize(t, actor.locale))
            .join(actor.locale === 'en-US' ? '; ' : '；'),
        }));
      const report: ImportReport = {
        applied: false,
        total: rows.length,
        created: 0,
        updated: 0,
        unchanged: 0,
        errors,
      };
      throw new AppError('IMPORT_REJECTED', { count: errors.length }, report);
    }
    const { fileName, ...book } = query;
    return writeAndIssue(actor, book, checked.resolved, working, {
      source: 'import',
      fileName: fileName ?? null,
    });
  }

  /** Names of the regions under the book's area, for rows that name their region rather than give its code. */
  async function placeIndex(
    actor: Actor,
    root: string,
  ): Promise<Map<string, { code: string; name: string }[]>> {
    const tree = await territory.getRegionTree(actor, { root, depth: 6 });
    const index = new Map<string, { code: string; name: string }[]>();
    const visit = (node: typeof tree) => {
      const key = node.name.replace(/\s/g, '');
      index.set(key, [...(index.get(key) ?? []), { code: node.code, name: node.name }]);
      node.children.forEach(visit);
    };
    visit(tree);
    return index;
  }

  /** Finishes issuing a book cut short (see `issue`); nothing to do answers the book as it is. */
  async function issueTaskBook(actor: Actor, id: number): Promise<TaskBook> {
    const book = await repo.findBook(db, id);
    if (!book) throw notFound(TEXT.taskBook, id);
    assertRole(actor, ISSUING_ROLES, TEXT.issue);
    if (!scopeHoldsRegion(regionScope(actor), book.region_code)) {
      throw new AppError('FORBIDDEN_SCOPE', { target: bookLabel(id), scope: actor.scopeName });
    }
    await issue(actor, id);
    return getTaskBook(actor, id);
  }

  /** The books the actor may see (with a task in their scope, or for their department), newest first. */
  async function listTaskBooks(actor: Actor, query: TaskBookListQuery) {
    const scope = caseScope(actor);
    const { rows, total } = await repo.listBooks(db, {
      scope,
      region: query.region,
      campaignId: query.campaignId,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const working = await calendar.getCalendar();
    const tasks = await repo.listTaskFacts(db, { scope, bookIds: rows.map((r) => r.id) });
    const items = rows.map((row) =>
      presentBook(
        row,
        tasks
          .filter((t) => t.task_book_id === row.id)
          .map((t) => presentTask(t, row.deadline, working, clock.now())),
        working,
        clock.now(),
      ),
    );
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /** One book with the tasks the actor may see, each with its standing; 403 when they may see none of it. */
  async function getTaskBook(actor: Actor, id: number): Promise<TaskBook> {
    const book = await repo.findBook(db, id);
    if (!book) throw notFound(TEXT.taskBook, id);
    const facts = await repo.listTaskFacts(db, { scope: caseScope(actor), bookIds: [id] });
    if (facts.length === 0)
      throw new AppError('FORBIDDEN_SCOPE', { target: bookLabel(id), scope: scopeName(actor) });
    const working = await calendar.getCalendar();
    const tasks = facts.map((t) => presentTask(t, book.deadline, working, clock.now()));
    return { ...presentBook(book, tasks, working, clock.now()), tasks };
  }

  /**
   * The accountability list (问责清单): the tasks the actor may see of books whose deadline day has ended that
   * were unfinished by then — still open (red) or finished late — with unit, person and days overdue. One book,
   * or every book of the actor's scope (optionally under one region).
   */
  async function listAccountability(
    actor: Actor,
    filter: { bookId?: number; region?: string | undefined },
  ): Promise<{ items: AccountabilityEntry[]; total: number }> {
    if (filter.bookId !== undefined) await getTaskBook(actor, filter.bookId);
    const working = await calendar.getCalendar();
    const facts = await repo.listTaskFacts(db, {
      scope: caseScope(actor),
      deadlineBefore: today(working),
      region: filter.region,
      ...(filter.bookId !== undefined ? { bookIds: [filter.bookId] } : {}),
    });
    const books = new Map(
      (await repo.findBooks(db, [...new Set(facts.map((f) => f.task_book_id))])).map((b) => [b.id, b]),
    );
    const now = clock.now();
    const items = facts.flatMap((fact) => {
      const book = books.get(fact.task_book_id);
      const entry = book && presentAccountabilityEntry(book, presentTask(fact, book.deadline, working, now));
      return entry ? [entry] : [];
    });
    return { items, total: items.length };
  }

  async function exportTaskBook(actor: Actor, id: number) {
    const book = await getTaskBook(actor, id);
    const working = await calendar.getCalendar();
    return {
      fileName: `${book.number}.xlsx`,
      bytes: await formatTaskBook(book, actor.locale, working.hours.timeZone),
    };
  }

  async function exportAccountability(
    actor: Actor,
    filter: { bookId?: number; region?: string | undefined },
  ) {
    const { items } = await listAccountability(actor, filter);
    const working = await calendar.getCalendar();
    const name =
      filter.bookId !== undefined
        ? `accountability-${items[0]?.taskBookNumber ?? filter.bookId}`
        : 'accountability';
    return {
      fileName: `${name}.xlsx`,
      bytes: await formatAccountability(items, actor.locale, working.hours.timeZone),
    };
  }

  return {
    createTaskBook,
    importTaskBook,
    issueTaskBook,
    listTaskBooks,
    getTaskBook,
    listAccountability,
    exportTaskBook,
    exportAccountability,
  };
}

function countyOf(regionCode: string): string | null {
  return regionCode.length >= 6 ? regionCode.slice(0, 6) : null;
}

function bookLabel(id: number): LocalizedText {
  return { zh: `任务书 ${id}`, en: `task book ${id}` };
}

function scopeName(actor: Actor): string | LocalizedText {
  return actor.role === 'departmentHandler'
    ? { zh: '本部门承办的任务', en: "your department's tasks" }
    : actor.scopeName;
}

function fill(text: LocalizedText, params: ErrorParams): LocalizedText {
  return { zh: say(text, 'zh-CN', params), en: say(text, 'en-US', params) };
}

function prefixed(path: string, text: LocalizedText): LocalizedText {
  return { zh: `${path}：${text.zh}`, en: `${path}: ${text.en}` };
}

function joinTexts(texts: readonly LocalizedText[]): LocalizedText {
  return { zh: texts.map((t) => t.zh).join('；'), en: texts.map((t) => t.en).join('; ') };
}

/** A unit as an office writes it: its code, or its name (spaces ignored); a name two units share asks for the code. */
function matchDepartment(
  departments: readonly Department[],
  value: string,
): Department | { problem: LocalizedText } {
  const byCode = departments.find((d) => d.code === value);
  if (byCode) return byCode;
  const name = value.replace(/\s/g, '');
  const matches = departments.filter((d) => d.name.replace(/\s/g, '') === name);
  const [only] = matches;
  if (!only) return { problem: fill(TEXT.unknownDepartment, { value }) };
  if (matches.length > 1) {
    return {
      problem: fill(TEXT.ambiguousDepartment, {
        value,
        candidates: matches.map((d) => `${d.name}（${d.code}）`).join('、'),
      }),
    };
  }
  return only;
}

/** A region as a row writes it: a code, or a name under the book's area. */
function matchPlace(
  index: ReadonlyMap<string, { code: string; name: string }[]>,
  value: string,
  area: { code: string; name: string },
): { code: string } | { problem: LocalizedText } {
  if (/^\d{6,21}$/.test(value)) return { code: value };
  const matches = index.get(value.replace(/\s/g, '')) ?? [];
  const [only] = matches;
  if (!only)
    return { problem: fill(TEXT.unknownRegion, { value, region: labelWithCode(area.name, area.code) }) };
  if (matches.length > 1) {
    return {
      problem: fill(TEXT.ambiguousRegion, {
        value,
        candidates: matches.map((m) => `${m.name}（${m.code}）`).join('、'),
      }),
    };
  }
  return { code: only.code };
}
