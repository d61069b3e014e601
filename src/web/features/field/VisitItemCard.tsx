import { Alert, Button, Card, Collapse, Input, InputNumber, Radio, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChecklistItem } from '../../../shared/checklists.ts';
import type { AnswerProblem, ScoredAnswer } from '../../../shared/inspection-scoring.ts';
import type { ItemOutcome } from '../../../shared/inspections.ts';
import { ANSWER_PROBLEM_TEXT } from '../../../shared/visits.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { LocalPhotos } from './LocalPhotos.tsx';
import { EMPTY_DRAFT, type ItemDraft } from './visit-draft.ts';

/** One checklist item of a visit: the question, its judging rule, the answer, a note and photos. */
export function VisitItemCard({
  item,
  draft = EMPTY_DRAFT,
  scored,
  problem,
  onChange,
}: {
  item: ChecklistItem;
  draft?: ItemDraft;
  /** How the scoring judged the answer so far. */
  scored: ScoredAnswer | undefined;
  /** What is still wrong with the answer; "missing" only once the user tried to submit. */
  problem: AnswerProblem | undefined;
  onChange: (draft: ItemDraft) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const set = (change: Partial<ItemDraft>) => onChange({ ...draft, ...change });
  const failed = scored?.outcome === 'fail';
  const na = draft.outcome === 'na';
  const measured = item.rule !== 'passFail';

  return (
    <Card
      size="small"
      className={failed ? 'gg-field-task gg-field-item-failed' : 'gg-field-task'}
      data-testid="visit-item"
      data-item-key={item.key}
      data-outcome={scored?.outcome ?? ''}
    >
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space wrap size={4}>
          <Typography.Text strong>{item.key}</Typography.Text>
          <Tag>{t('fieldInspections.visit.points', { points: item.points })}</Tag>
          {item.veto ? <Tag color="red">{t('fieldInspections.visit.veto')}</Tag> : null}
          {item.immediate ? <Tag color="orange">{t('fieldInspections.visit.immediate')}</Tag> : null}
          {item.photo === 'always' ? <Tag color="blue">{t('fieldInspections.visit.photoAlways')}</Tag> : null}
          {item.photo === 'onFail' ? <Tag>{t('fieldInspections.visit.photoOnFail')}</Tag> : null}
        </Space>
        <Typography.Text>{item.question}</Typography.Text>
        {item.guidance ? (
          <Collapse
            size="small"
            ghost
            items={[
              {
                key: 'guidance',
                label: t('fieldInspections.visit.guidance'),
                children: (
                  <Typography.Paragraph type="secondary" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                    {item.guidance}
                  </Typography.Paragraph>
                ),
              },
            ]}
          />
        ) : null}
        {measured ? (
          <Space wrap>
            <InputNumber
              min={0}
              max={item.rule === 'graded' ? item.points : 1_000_000}
              step={item.rule === 'graded' ? 0.5 : 1}
              value={na ? null : draft.value}
              disabled={na}
              inputMode="decimal"
              placeholder={
                item.rule === 'graded'
                  ? t('fieldInspections.visit.gradedValue', { points: item.points })
                  : t('fieldInspections.visit.countValue')
              }
              style={{ width: 170 }}
              onChange={(value) => set({ value: typeof value === 'number' ? value : null, outcome: null })}
              aria-label={item.question}
              data-testid="visit-item-value"
            />
            {item.rule === 'count' ? (
              <Typography.Text type="secondary">
                {t('fieldInspections.visit.threshold', {
                  comparator: item.comparator === '<=' ? '≤' : '≥',
                  threshold: item.threshold,
                  unit: item.unit ?? '',
                })}
              </Typography.Text>
            ) : null}
            <Button
              type={na ? 'primary' : 'default'}
              onClick={() => set({ outcome: na ? null : 'na' })}
              data-testid="visit-item-na"
            >
              {t('fieldInspections.visit.na')}
            </Button>
          </Space>
        ) : (
          <Radio.Group
            buttonStyle="solid"
            className="gg-field-choice"
            value={draft.outcome}
            onChange={(event) => set({ outcome: event.target.value as ItemOutcome })}
          >
            <Radio.Button value="pass">
              <span data-testid="visit-item-pass">{t('fieldInspections.visit.pass')}</span>
            </Radio.Button>
            <Radio.Button value="fail">
              <span data-testid="visit-item-fail">{t('fieldInspections.visit.fail')}</span>
            </Radio.Button>
            <Radio.Button value="na">
              <span data-testid="visit-item-na">{t('fieldInspections.visit.na')}</span>
            </Radio.Button>
          </Radio.Group>
        )}
        {measured && scored && !na ? (
          <Typography.Text type={failed ? 'danger' : 'success'}>
            {t(`fieldInspections.visit.judged.${scored.outcome}`)} · {scored.earned} / {scored.applicable}
          </Typography.Text>
        ) : null}
        {problem ? (
          <Alert
            type="error"
            showIcon
            title={pickLabel(ANSWER_PROBLEM_TEXT[problem], locale)}
            data-testid="visit-item-problem"
          />
        ) : null}
        {na ? null : (
          <>
            <LocalPhotos value={draft.photos} onChange={(photos) => set({ photos })} />
            <Input.TextArea
              rows={failed ? 2 : 1}
              maxLength={1000}
              value={draft.note}
              placeholder={t('fieldInspections.visit.notePlaceholder')}
              aria-label={t('fieldInspections.visit.note')}
              onChange={(event) => set({ note: event.target.value })}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
