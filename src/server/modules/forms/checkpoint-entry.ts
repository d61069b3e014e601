import { type EntryInput, normalizePlate } from '../../../shared/checkpoints.ts';
import type { LocalizedText } from '../../../shared/errors.ts';
import { validateAnswers } from '../../../shared/form-answers.ts';
import type { Answers, FormDefinition } from '../../../shared/forms.ts';
import { checkIdNumber } from '../../../shared/registry-validation.ts';
import { localized } from '../registry/registry-columns.ts';
import type { CheckpointRow } from './checkpoint.table.ts';

const TEXT = {
  future: { zh: '时间晚于当前时间', en: 'the time is in the future' },
  closed: { zh: '卡点已撤除，不能再登记', en: 'the checkpoint is closed' },
  plateNeeded: { zh: '车辆须填写车牌号', en: 'a vehicle needs its plate number' },
  plate: { zh: '不是有效的车牌号', en: 'not a valid plate number' },
  reasonNeeded: { zh: '劝返时须填写原因', en: 'a stop needs its reason' },
  version: {
    zh: '不是该卡点表单已发布的版本，请刷新卡点后重新登记',
    en: 'not a published version of the checkpoint’s form: reload the checkpoint and log the entry again',
  },
} satisfies Record<string, LocalizedText>;

export interface EntryIssue {
  path: string;
  text: LocalizedText;
}

export type CheckedEntry =
  | {
      ok: true;
      row: {
        at: Date;
        direction: string;
        subject: string;
        plate: string | null;
        id_number: string | null;
        temperature: number | null;
        checks: string;
        form_version_id: number | null;
        outcome: string;
        reason: string | null;
      };
    }
  | { ok: false; issues: EntryIssue[] };

/** A published version of a checkpoint's form, as an entry's checks are validated against it. */
export interface EntryForm {
  id: number;
  definition: FormDefinition;
}

/**
 * One entry as the server stores it, or what is wrong with it field by field: the time not in the future, a
 * vehicle's plate in the national format, an ID number passing GB 11643 (as the registry checks it), a stop
 * with its reason, the checkpoint still open, and the checks answered as the checkpoint's form says (the same
 * evaluator the phone runs; hidden questions dropped) — stored with the version of the form they answer.
 *
 * The version is the one the phone asked when the entry names it (a phone offline while the form was
 * republished still asked the old one, and its answers are right for it), else the newest published.
 */
export function checkEntry(
  entry: EntryInput,
  context: {
    checkpoint: Pick<CheckpointRow, 'status'>;
    latest: number;
    now: Date;
    /** The newest published version of the checkpoint's form; null when it has none. */
    form?: EntryForm | null;
    /** The published versions of the checkpoint's form that the batch's entries name, by version id. */
    versions?: ReadonlyMap<number, EntryForm>;
  },
): CheckedEntry {
  const issues: EntryIssue[] = [];
  let form = context.form ?? null;
  if (entry.formVersionId !== undefined && entry.formVersionId !== null) {
    form = context.versions?.get(entry.formVersionId) ?? null;
    if (!form) issues.push({ path: 'formVersionId', text: TEXT.version });
  }
  const at = new Date(entry.at);
  if (at.getTime() > context.latest) issues.push({ path: 'at', text: TEXT.future });
  // An entry made before the checkpoint was closed may still arrive from a phone that was offline.
  if (context.checkpoint.status === 'closed' && at.getTime() > context.now.getTime() - 24 * 3_600_000)
    issues.push({ path: 'at', text: TEXT.closed });
  let plate: string | null = null;
  if (entry.plate) {
    plate = normalizePlate(entry.plate);
    if (!plate) issues.push({ path: 'plate', text: TEXT.plate });
  } else if (entry.subject === 'vehicle') {
    issues.push({ path: 'plate', text: TEXT.plateNeeded });
  }
  let idNumber: string | null = null;
  if (entry.idNumber) {
    const checked = checkIdNumber(entry.idNumber, context.now);
    if (checked.ok) idNumber = checked.value.idNumber;
    else issues.push({ path: 'idNumber', text: localized(checked.problem, checked.params ?? {}) });
  }
  const reason = entry.reason?.trim() || null;
  if (entry.outcome === 'stopped' && !reason) issues.push({ path: 'reason', text: TEXT.reasonNeeded });
  let checks: Answers = (entry.checks ?? {}) as Answers;
  if (form) {
    const answered = validateAnswers(form.definition, checks, { today: context.now });
    for (const p of answered.problems) {
      issues.push({ path: `checks.${p.name}`, text: { zh: p.message.zh, en: p.message.en ?? p.message.zh } });
    }
    checks = answered.answers;
  }
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    row: {
      at,
      direction: entry.direction,
      subject: entry.subject,
      plate,
      id_number: idNumber,
      temperature: entry.temperature ?? null,
      checks: JSON.stringify(checks),
      form_version_id: form?.id ?? null,
      outcome: entry.outcome,
      reason: entry.outcome === 'stopped' ? reason : null,
    },
  };
}
