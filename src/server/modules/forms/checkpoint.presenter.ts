import {
  type CheckpointDetail,
  type CheckpointKind,
  type CheckpointStatus,
  type Direction,
  type DutySummary,
  type Entry,
  type Outcome,
  SHIFTS,
  type Shift,
  type Subject,
} from '../../../shared/checkpoints.ts';
import { formText } from '../../../shared/form-answers.ts';
import type { FormDefinition } from '../../../shared/forms.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { Actor } from '../people/actor.ts';
import { shownIdNumber } from './checkpoint.policy.ts';
import type { DutyRow, EntryView } from './checkpoint.repository.ts';
import type { CheckpointRow } from './checkpoint.table.ts';
import { answerLabel } from './household-visit-export.ts';

export type RegionNames = Map<string, string>;

/** The Asia/Shanghai weekday (1 Monday … 7 Sunday) and shift of an instant; the night shift after midnight is
 * the previous day's. */
export function dutySlot(at: Date): { weekday: number; shift: Shift } {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  const hour = local.getUTCHours();
  const shift: Shift = hour >= 6 && hour < 14 ? 'early' : hour >= 14 && hour < 22 ? 'middle' : 'night';
  const day = hour < 6 ? new Date(local.getTime() - 86_400_000) : local;
  return { weekday: ((day.getUTCDay() + 6) % 7) + 1, shift };
}

export function presentDuty(duty: DutyRow, userNames: Map<number, string>): DutySummary {
  return {
    weekday: duty.weekday,
    shift: duty.shift as Shift,
    userId: duty.user_id,
    // A user renamed since goes by the new name.
    name: duty.user_id !== null ? (userNames.get(duty.user_id) ?? duty.name) : duty.name,
    outside: duty.user_id === null,
  };
}

export function presentCheckpoint(
  row: CheckpointRow,
  context: {
    names: RegionNames;
    today: { total: number; stopped: number } | undefined;
    duties: DutyRow[];
    userNames: Map<number, string>;
    now: Date;
    withRoster: boolean;
    formVersionId: number | null;
  },
): CheckpointDetail {
  const village = row.grid_code.slice(0, CODE_LENGTH.village);
  const roster = context.duties
    .map((d) => presentDuty(d, context.userNames))
    .sort((a, b) => a.weekday - b.weekday || SHIFTS.indexOf(a.shift) - SHIFTS.indexOf(b.shift));
  const slot = dutySlot(context.now);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as CheckpointKind,
    status: row.status as CheckpointStatus,
    lon: row.lon,
    lat: row.lat,
    gridCode: row.grid_code,
    gridName: context.names.get(row.grid_code) ?? '',
    villageCode: village,
    villageName: context.names.get(village) ?? '',
    note: row.note,
    formId: row.form_id,
    formVersionId: context.formVersionId,
    synthetic: row.synthetic,
    version: row.version,
    today: context.today ?? { total: 0, stopped: 0 },
    onDutyNow: roster.filter((d) => d.weekday === slot.weekday && d.shift === slot.shift).map((d) => d.name),
    roster: context.withRoster ? roster : [],
  };
}

/**
 * An entry's answers labelled by the version they answered, not by the checkpoint's form of today: in that
 * version's order, as the checks were asked; answers no question names (an entry without a form) by their keys.
 */
function checkAnswers(
  actor: Pick<Actor, 'locale'>,
  answers: Record<string, unknown>,
  definition: FormDefinition | undefined,
): Entry['checkAnswers'] {
  const asked = (definition?.questions ?? []).filter((q) => q.name in answers);
  const names = new Set(asked.map((q) => q.name));
  return [
    ...asked.map((q) => ({
      name: q.name,
      question: formText(q.label, actor.locale),
      answer: answerLabel(q, answers[q.name], actor),
    })),
    ...Object.entries(answers)
      .filter(([name]) => !names.has(name))
      .map(([name, value]) => ({ name, question: name, answer: String(value) })),
  ];
}

/**
 * An entry as the API shows it; `definition` is the form version its checks answered (`form_version_id`), and
 * `forExport` masks the ID number whoever reads.
 */
export function presentEntry(
  actor: Actor,
  row: EntryView,
  definition: FormDefinition | undefined,
  forExport = false,
): Entry {
  const id = shownIdNumber(actor, row.id_number, forExport);
  return {
    id: row.id,
    checkpointId: row.checkpoint_id,
    checkpointName: row.checkpoint_name,
    at: row.at.toISOString(),
    direction: row.direction as Direction,
    subject: row.subject as Subject,
    plate: row.plate,
    idNumber: id.value,
    idNumberMasked: id.masked,
    temperature: row.temperature,
    checks: row.checks ?? {},
    checkAnswers: checkAnswers(actor, row.checks ?? {}, definition),
    formVersionId: row.form_version_id,
    formVersion: row.form_version,
    outcome: row.outcome as Outcome,
    reason: row.reason,
    recordedBy: row.recorder_name,
    synthetic: row.synthetic,
  };
}
