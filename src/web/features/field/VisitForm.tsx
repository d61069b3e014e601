import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, Result, Space, Spin, Tag, Typography } from 'antd';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyTarget } from '../../../shared/campaigns.ts';
import type { ChecklistItem } from '../../../shared/checklists.ts';
import type { VisitScore } from '../../../shared/inspection-scoring.ts';
import { SITE_TYPE_LABELS, type SiteType } from '../../../shared/inspections.ts';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import type { FieldUser } from './FieldPage.tsx';
import type { VisitItem } from './outbox.ts';
import { SignaturePad } from './SignaturePad.tsx';
import { useTemplate } from './useInspections.ts';
import { fieldOutbox, useOutboxItems } from './useOutbox.ts';
import { usePosition } from './usePosition.ts';
import { VisitItemCard } from './VisitItemCard.tsx';
import {
  appliesHere,
  type Drafts,
  percent,
  problemsByItem,
  scoreDraft,
  visitForOutbox,
} from './visit-draft.ts';
import { type KeptVisit, visitDrafts } from './visit-draft-store.ts';

/**
 * One visit of one target: a screen per section of the checklist with the running score on top, then the
 * person in charge, their signature where the campaign asks for it, and submit — into the outbox, sent once.
 */
export function VisitForm({
  user,
  target,
  onQueued,
  onDone,
  sync,
}: {
  user: FieldUser;
  target: MyTarget;
  /** The visit is in the outbox under this id: what follows is shown by VisitDone. */
  onQueued: (id: string) => void;
  onDone: () => void;
  sync: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const template = useTemplate(target.campaign.templateId);
  const [position] = usePosition();
  const [drafts, setDrafts] = useState<Drafts>({});
  const [step, setStep] = useState(0);
  const [tried, setTried] = useState(false);
  const [personInCharge, setPersonInCharge] = useState('');
  const [signature, setSignature] = useState<Blob | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const ref = useMemo(
    () => ({ campaignId: target.campaign.id, roundId: target.round.id, targetId: target.target.id }),
    [target.campaign.id, target.round.id, target.target.id],
  );
  // The draft kept on the phone, offered back before the form starts: undefined while it is being read.
  const [kept, setKept] = useState<KeptVisit | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    visitDrafts()
      .load(user.id, ref)
      .then(
        (found) => live && setKept(found),
        () => live && setKept(null),
      );
    return () => {
      live = false;
    };
  }, [user.id, ref]);
  const resume = (visit: KeptVisit) => {
    setDrafts(visit.drafts);
    setStep(visit.step);
    setPersonInCharge(visit.personInCharge);
    setSignature(visit.signature);
    setNote(visit.note);
    setKept(null);
  };
  const discard = async () => {
    await visitDrafts().discard(user.id, ref);
    setKept(null);
  };
  // Every change is kept shortly after it is made, and at once when the form is left; never after submit.
  const unsaved = useRef<(() => void) | null>(null);
  const submitted = useRef(false);
  useEffect(() => {
    if (kept !== null) return;
    const save = () => {
      unsaved.current = null;
      if (!submitted.current)
        void visitDrafts().save(user.id, ref, { drafts, step, personInCharge, signature, note });
    };
    unsaved.current = save;
    const timer = setTimeout(save, 400);
    return () => clearTimeout(timer);
  }, [kept, user.id, ref, drafts, step, personInCharge, signature, note]);
  useEffect(() => () => unsaved.current?.(), []);
  const siteType = target.target.siteType;
  const siteLabel = pickLabel(
    SITE_TYPE_LABELS[siteType as SiteType] ?? { zh: siteType, en: siteType },
    locale,
  );

  const score = useMemo(
    () => (template.data ? scoreDraft(template.data, siteType, drafts) : null),
    [template.data, siteType, drafts],
  );
  const problems = useMemo(() => (score ? problemsByItem(score) : new Map()), [score]);
  const scored = useMemo(() => new Map(score?.answers.map((a) => [a.itemKey, a]) ?? []), [score]);

  const back = (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={onDone} style={{ paddingInline: 0 }}>
      {t('fieldInspections.visit.back')}
    </Button>
  );
  if (kept === undefined) return <Spin className="gg-field-spin" />;
  if (kept) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {back}
        <Card size="small" data-testid="visit-draft">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text strong>{target.target.name}</Typography.Text>
            <Typography.Text>
              {t('fieldInspections.visit.draftFound', {
                time: formatDateTime(kept.savedAt),
                count: Object.keys(kept.drafts).length,
              })}
            </Typography.Text>
            <div className="gg-field-section-nav">
              <Button danger onClick={() => void discard()} data-testid="visit-draft-discard">
                {t('fieldInspections.visit.draftDiscard')}
              </Button>
              <Button type="primary" onClick={() => resume(kept)} data-testid="visit-draft-resume">
                {t('fieldInspections.visit.draftResume')}
              </Button>
            </div>
          </Space>
        </Card>
      </Space>
    );
  }
  if (!template.data) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {back}
        {template.isPending ? (
          <Spin className="gg-field-spin" />
        ) : (
          <Alert type="warning" showIcon title={t('fieldInspections.visit.templateOffline')} />
        )}
      </Space>
    );
  }
  const checklist = template.data;
  // A section none of whose items applies to this kind of site is no screen of its own.
  const sections = checklist.sections.filter((s) => s.items.some((item) => appliesHere(item, siteType)));
  const finishing = step >= sections.length;
  const section = sections[step];
  const shownProblem = (key: string) => {
    const problem = problems.get(key);
    return problem === 'missing' && !tried ? undefined : problem;
  };
  const failures = score?.answers.filter((answer) => answer.outcome === 'fail') ?? [];
  const applicableItems = sections.flatMap((s) => s.items).filter((item) => appliesHere(item, siteType));
  const answered = applicableItems.filter((item) => scored.has(item.key)).length;
  const signatureMissing = target.campaign.signatureRequired && (!signature || !personInCharge.trim());

  const submit = async () => {
    setTried(true);
    if (!score) return;
    const firstProblem = score.problems[0];
    if (firstProblem) {
      const at = sections.findIndex((s) => s.items.some((item) => item.key === firstProblem.itemKey));
      if (at >= 0) setStep(at);
      void message.error(t('fieldInspections.visit.problemsLeft', { count: score.problems.length }));
      return;
    }
    if (signatureMissing) {
      void message.error(
        personInCharge.trim()
          ? t('fieldInspections.visit.signatureRequired')
          : t('fieldInspections.visit.personRequired'),
      );
      return;
    }
    const located = position.status === 'located' ? position : null;
    const prepared = visitForOutbox(checklist, siteType, drafts, score, signature);
    setSaving(true);
    try {
      const outbox = fieldOutbox();
      const item = await outbox.addVisit(user.id, {
        campaignId: target.campaign.id,
        campaignName: target.campaign.name,
        label: target.target.name,
        photos: prepared.photos,
        photoCounts: prepared.photoCounts,
        signed: prepared.signed,
        input: {
          roundId: target.round.id,
          targetId: target.target.id,
          visitedAt: new Date().toISOString(),
          lon: located?.lon ?? null,
          lat: located?.lat ?? null,
          note: note.trim(),
          personInCharge: personInCharge.trim() || null,
          answers: prepared.answers,
        },
      });
      submitted.current = true;
      await visitDrafts().discard(user.id, ref);
      onQueued(item.id);
      await sync();
    } finally {
      setSaving(false);
    }
  };

  return (
    // A plain column, not antd's Space: the running score sticks to the top only inside a tall parent.
    <div className="gg-field-visit">
      {back}
      <div>
        <Typography.Title level={5} style={{ margin: 0 }} data-testid="visit-target">
          {target.target.name}
        </Typography.Title>
        <Typography.Text type="secondary">
          {siteLabel} · {target.campaign.name}
        </Typography.Text>
      </div>
      {score ? <RunningScore score={score} answered={answered} total={applicableItems.length} /> : null}
      <SectionSteps
        count={sections.length}
        current={step}
        failing={sections.map((s) => s.items.some((item) => tried && problems.has(item.key)))}
        onChange={setStep}
      />
      <Typography.Text strong data-testid="visit-section">
        {finishing
          ? t('fieldInspections.visit.finish')
          : `${t('fieldInspections.visit.sectionOf', { current: step + 1, total: sections.length })}：${section?.name ?? ''}`}
      </Typography.Text>
      {section && !finishing ? (
        <SectionItems
          items={section.items}
          siteType={siteType}
          siteLabel={siteLabel}
          render={(item) => (
            <VisitItemCard
              key={item.key}
              item={item}
              draft={drafts[item.key]}
              scored={scored.get(item.key)}
              problem={shownProblem(item.key)}
              onChange={(draft) => setDrafts((all) => ({ ...all, [item.key]: draft }))}
            />
          )}
        />
      ) : null}
      {finishing ? (
        <Card size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type={failures.length ? 'danger' : 'success'} data-testid="visit-failures">
              {failures.length
                ? t('fieldInspections.visit.failures', { count: failures.length })
                : t('fieldInspections.visit.noFailures')}
            </Typography.Text>
            {score?.problems.length ? (
              <Alert
                type="error"
                showIcon
                title={t('fieldInspections.visit.problemsLeft', { count: score.problems.length })}
              />
            ) : null}
            <Typography.Text>{t('fieldInspections.visit.personInCharge')}</Typography.Text>
            <Input
              value={personInCharge}
              maxLength={40}
              placeholder={t('fieldInspections.visit.personInChargePlaceholder')}
              onChange={(event) => setPersonInCharge(event.target.value)}
              aria-label={t('fieldInspections.visit.personInCharge')}
            />
            {target.campaign.signatureRequired ? (
              <>
                <Typography.Text>{t('fieldInspections.visit.signature')}</Typography.Text>
                <SignaturePad value={signature} onChange={setSignature} />
              </>
            ) : null}
            <Typography.Text>{t('fieldInspections.visit.overallNote')}</Typography.Text>
            <Input.TextArea
              rows={2}
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
              aria-label={t('fieldInspections.visit.overallNote')}
            />
            <Button
              type="primary"
              block
              loading={saving}
              onClick={() => void submit()}
              data-testid="visit-submit"
            >
              {t('fieldInspections.visit.submit')}
            </Button>
          </Space>
        </Card>
      ) : null}
      <div className="gg-field-section-nav">
        <Button disabled={step === 0} onClick={() => setStep(step - 1)}>
          {t('fieldInspections.visit.prev')}
        </Button>
        {finishing ? null : (
          <Button type="primary" onClick={() => setStep(step + 1)} data-testid="visit-next">
            {step === sections.length - 1
              ? t('fieldInspections.visit.toFinish')
              : t('fieldInspections.visit.next')}
          </Button>
        )}
      </div>
    </div>
  );
}

/**
 * Where the inspector is: a numbered button per section and one for signing, wrapping on a narrow phone. The
 * sections' names are too long to stand side by side (集贸市场和商场（超市）): only the current one is named,
 * in the line below.
 */
function SectionSteps({
  count,
  current,
  failing,
  onChange,
}: {
  count: number;
  current: number;
  failing: readonly boolean[];
  onChange: (step: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <Space wrap size={6} data-testid="visit-steps">
      {Array.from({ length: count + 1 }, (_, index) => {
        const last = index === count;
        const label = last
          ? t('fieldInspections.visit.finish')
          : t('fieldInspections.visit.sectionOf', { current: index + 1, total: count });
        return (
          <Button
            // biome-ignore lint/suspicious/noArrayIndexKey: a step is its position
            key={index}
            size="small"
            shape={last ? 'round' : 'circle'}
            type={index === current ? 'primary' : 'default'}
            danger={failing[index] === true}
            aria-label={label}
            aria-current={index === current ? 'step' : undefined}
            onClick={() => onChange(index)}
          >
            {last ? t('fieldInspections.visit.finish') : index + 1}
          </Button>
        );
      })}
    </Space>
  );
}

/** The items of a section that apply to the site; the others named in one line, not scored. */
function SectionItems({
  items,
  siteType,
  siteLabel,
  render,
}: {
  items: ChecklistItem[];
  siteType: string;
  siteLabel: string;
  render: (item: ChecklistItem) => ReactNode;
}) {
  const { t } = useTranslation();
  const shown = items.filter((item) => appliesHere(item, siteType));
  const hidden = items.length - shown.length;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {shown.map(render)}
      {hidden ? (
        <Tag data-testid="visit-items-na">
          {t('fieldInspections.visit.notApplicableToSite', { count: hidden, siteType: siteLabel })}
        </Tag>
      ) : null}
    </Space>
  );
}

function RunningScore({ score, answered, total }: { score: VisitScore; answered: number; total: number }) {
  const { t } = useTranslation();
  const vetoed = score.vetoedBy !== null;
  const raw = percent(score.rawRate);
  return (
    <div className="gg-field-score" data-testid="visit-score">
      {vetoed ? (
        <>
          <span className="gg-field-score-rate gg-field-score-vetoed" data-testid="visit-rate">
            {t('fieldInspections.visit.vetoed')}
          </span>
          <Typography.Text type="secondary">
            {t('fieldInspections.visit.rawRate', { rate: raw?.toFixed(2) ?? '—' })}
          </Typography.Text>
        </>
      ) : (
        <span className="gg-field-score-rate" data-testid="visit-rate">
          {raw === null
            ? t('fieldInspections.visit.noRate')
            : t('fieldInspections.visit.rate', { rate: raw.toFixed(2) })}
        </span>
      )}
      <Typography.Text>
        {t('fieldInspections.visit.score', { earned: score.earned, applicable: score.applicable })}
      </Typography.Text>
      <Typography.Text type="secondary">
        {t('fieldInspections.visit.answered', { answered, total })}
      </Typography.Text>
    </div>
  );
}

/** After submit: waiting in the outbox, then the notice number and the rectification cases the server made. */
export function VisitDone({ user, id, onDone }: { user: FieldUser; id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const item = useOutboxItems(user.id).find(
    (other): other is VisitItem => other.id === id && other.kind === 'visit',
  );
  const receipt = item?.visit ?? null;
  const refused = item?.status === 'failed' || item?.status === 'conflict';
  return (
    <Result
      status={receipt ? 'success' : refused ? 'error' : 'info'}
      title={
        receipt
          ? t('fieldInspections.visit.doneTitle')
          : refused
            ? t('fieldInspections.visit.failedToSend', { error: item?.error ?? '' })
            : t('fieldInspections.visit.queued')
      }
      subTitle={
        receipt ? (
          <Space orientation="vertical" size={2} data-testid="visit-receipt">
            <Typography.Text strong data-testid="visit-notice">
              {t('fieldInspections.visit.noticeNumber', { number: receipt.noticeNumber })}
            </Typography.Text>
            <Typography.Text>
              {receipt.vetoed
                ? `${t('fieldInspections.visit.vetoed')} · ${t('fieldInspections.visit.rawRate', { rate: receipt.rawRate?.toFixed(2) ?? '—' })}`
                : receipt.rate === null
                  ? t('fieldInspections.visit.noRate')
                  : t('fieldInspections.visit.rate', { rate: receipt.rate.toFixed(2) })}
            </Typography.Text>
            <Typography.Text data-testid="visit-cases">
              {receipt.cases.length
                ? t('fieldInspections.visit.casesCreated', { count: receipt.cases.length })
                : t('fieldInspections.visit.noCases')}
            </Typography.Text>
            {receipt.cases.map((c) => (
              <Typography.Text key={c.id} type="secondary">
                {c.caseNumber} · {c.question}
              </Typography.Text>
            ))}
          </Space>
        ) : refused ? undefined : (
          <span data-testid="visit-waiting">{t('fieldInspections.visit.waiting')}</span>
        )
      }
      extra={
        <Button type="primary" onClick={onDone}>
          {t('fieldInspections.visit.backToList')}
        </Button>
      }
    />
  );
}
