import type { ColumnType, Generated } from 'kysely';
import type { LocalizedText } from '../../../shared/errors.ts';

export const NOTIFICATION_KINDS = [
  /** A report waiting to be registered, told to the dispatchers over its place. */
  'newReport',
  'newTask',
  'returned',
  'rework',
  'toVerify',
  'dueSoon',
  'overdue',
  'supervised',
  'merged',
  'closed',
  /** An open inspection campaign announced to the grids it will inspect. */
  'inspection',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Kinds that ask someone to act on a case's current step: done by themselves once the step moves on. */
export const STEP_KINDS: readonly NotificationKind[] = [
  'newReport',
  'newTask',
  'returned',
  'rework',
  'toVerify',
  'dueSoon',
  'overdue',
];

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  case_id: number | null;
  /** The message in both UI languages, so it reads right whichever the user chooses later. */
  text: ColumnType<LocalizedText, string, never>;
  created_at: Date;
  read_at: Date | null;
  /** Set (with read_at) when the step the message asked for moved on: the message is done by itself. */
  done_at: ColumnType<Date | null, never, Date>;
  /** The phone the message is also texted to, chosen when it is written; null = inbox only. */
  sms_phone: ColumnType<string | null, string | null | undefined, never>;
  sms_sent_at: ColumnType<Date | null, never, Date>;
}
