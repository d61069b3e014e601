import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  CASE_ACTION_LABELS,
  CASE_STATE_LABELS,
  type CaseAction,
  type CaseState,
} from '../../../shared/case-workflow.ts';
import type { CaseAttributeValue, CaseSummary } from '../../../shared/cases.ts';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';

export function useCaseLabels() {
  const locale = useLocale();
  const { t } = useTranslation();
  return {
    state: (state: string) =>
      state in CASE_STATE_LABELS ? pickLabel(CASE_STATE_LABELS[state as CaseState], locale) : state,
    action: (action: string) => {
      if (action in CASE_ACTION_LABELS) return pickLabel(CASE_ACTION_LABELS[action as CaseAction], locale);
      if (action === 'report') return t('cases.eventActions.report');
      if (action === 'mergeDuplicate') return t('cases.eventActions.mergeDuplicate');
      if (action === 'escalate') return t('cases.eventActions.escalate');
      if (action === 'clientUpdate') return t('cases.eventActions.clientUpdate');
      if (action === 'recomputeDue') return t('cases.eventActions.recomputeDue');
      if (action === 'handlingDeadline') return t('cases.eventActions.handlingDeadline');
      return action;
    },
  };
}

const DEADLINE_COLORS: Record<CaseSummary['deadline'], string> = {
  onTime: 'green',
  dueSoon: 'gold',
  overdue: 'red',
  beyondCalendar: 'default',
  none: 'default',
};

/** Due-time badge: colour and text together (GLOSSARY: never colour alone). */
export function DeadlineTag({ deadline }: { deadline: CaseSummary['deadline'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={DEADLINE_COLORS[deadline]} data-testid={`deadline-${deadline}`}>
      {t(`cases.deadline.${deadline}`)}
    </Tag>
  );
}

/** Step due time with its badge; nothing but the badge when the step has no due time. */
export function StepDue({ summary }: { summary: Pick<CaseSummary, 'stepDueAt' | 'deadline'> }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {summary.stepDueAt ? <span style={{ marginRight: 8 }}>{formatDateTime(summary.stepDueAt)}</span> : null}
      {summary.deadline === 'none' && !summary.stepDueAt ? '—' : <DeadlineTag deadline={summary.deadline} />}
    </span>
  );
}

/** An extra field's value as reported: list values by their names, date-times in the town's time. */
export function attributeText(attribute: CaseAttributeValue): string {
  const shown = attribute.datatype === 'datetime' ? attribute.value.map(formatDateTime) : attribute.shown;
  return shown.join('、');
}
