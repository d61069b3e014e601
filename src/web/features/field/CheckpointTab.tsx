import { CheckCircleOutlined, LoginOutlined, LogoutOutlined, StopOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Empty,
  Input,
  InputNumber,
  type InputRef,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Checkpoint,
  type Direction,
  type EntryInput,
  FEVER_CELSIUS,
  normalizePlate,
  type Subject,
  scannedKind,
} from '../../../shared/checkpoints.ts';
import { validateAnswers } from '../../../shared/form-answers.ts';
import type { Answers, FormDefinition } from '../../../shared/forms.ts';
import { checkIdNumber, maskIdNumber } from '../../../shared/registry-validation.ts';
import { useLocale } from '../../i18n/index.ts';
import { useCheckpoints } from '../checkpoints/api.ts';
import { useFormVersion } from '../forms/api.ts';
import { LazyFormRenderer } from '../forms/LazyFormRenderer.tsx';
import type { FieldUser } from './FieldPage.tsx';
import { fieldOutbox, useOutboxItems } from './useOutbox.ts';
import './checkpoint.css';

/** Quick reasons for a stop: one tap, as a queue does not wait for typing. */
const STOP_REASONS = ['fever', 'noId', 'notResident', 'refused'] as const;
const CHOSEN_KEY = 'gridgov.field.checkpoint';
const LIST_KEY = 'gridgov.field.checkpoints';

/** The checkpoints last seen online, so the tab opens without a network on a fresh shift. */
function useCachedCheckpoints(): Checkpoint[] {
  const live = useCheckpoints({ status: 'active' });
  const [cached] = useState<Checkpoint[]>(() => {
    try {
      return JSON.parse(window.localStorage.getItem(LIST_KEY) ?? '[]') as Checkpoint[];
    } catch {
      return [];
    }
  });
  useEffect(() => {
    if (!live.data) return;
    try {
      window.localStorage.setItem(LIST_KEY, JSON.stringify(live.data.checkpoints));
    } catch {
      // Without storage the tab still works online.
    }
  }, [live.data]);
  return live.data?.checkpoints ?? cached;
}

const FORM_KEY = 'gridgov.field.checkpointForm.';

/**
 * The checkpoint's form (the published version the checkpoint named when last seen online) with that version's
 * id, kept on the phone so the checks are asked offline too; null when the checkpoint asks no extra checks.
 */
function useCheckpointForm(
  versionId: number | null | undefined,
): { versionId: number; definition: FormDefinition } | null {
  const live = useFormVersion(versionId ?? null);
  useEffect(() => {
    if (!live.data || !versionId) return;
    try {
      window.localStorage.setItem(`${FORM_KEY}${versionId}`, JSON.stringify(live.data.definition));
    } catch {
      // Without storage the checks are still asked online.
    }
  }, [live.data, versionId]);
  if (!versionId) return null;
  if (live.data) return { versionId, definition: live.data.definition };
  try {
    const cached = JSON.parse(
      window.localStorage.getItem(`${FORM_KEY}${versionId}`) ?? 'null',
    ) as FormDefinition | null;
    return cached && { versionId, definition: cached };
  } catch {
    return null;
  }
}

interface Logged {
  key: string;
  direction: Direction;
  label: string;
  stopped: boolean;
}

/**
 * 卡点登记: one screen for a queue. The scan box takes a barcode or plate scanner's keystrokes — Enter logs the
 * person or vehicle as passed and the box is ready for the next; an ID number (checked as GB 11643) means a
 * person, a plate a vehicle. Entries go to the outbox first, so logging never waits for the network.
 */
export function CheckpointTab({ user, sync }: { user: FieldUser; sync: () => Promise<void> }) {
  const { t } = useTranslation();
  const checkpoints = useCachedCheckpoints();
  const [chosen, setChosen] = useState<number | null>(() => Number(localStorage.getItem(CHOSEN_KEY)) || null);
  const checkpoint =
    checkpoints.find((c) => c.id === chosen) ?? (checkpoints.length === 1 ? checkpoints[0] : undefined);
  const [direction, setDirection] = useState<Direction>('in');
  const [subject, setSubject] = useState<Subject>('person');
  const [scan, setScan] = useState('');
  const [temperature, setTemperature] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const [logged, setLogged] = useState<Logged[]>([]);
  const [count, setCount] = useState(0);
  const locale = useLocale();
  const form = useCheckpointForm(checkpoint?.formVersionId);
  // Bumped after each entry: the form's controls start empty for the next person in the queue.
  const [checksRound, setChecksRound] = useState(0);
  // The answers belong to the controls they were given in: another checkpoint, a newly published version or
  // the next person starts them empty.
  const checksKey = `${checkpoint?.id}-${form?.versionId}-${checksRound}`;
  const [checks, setChecks] = useState<{ key: string; answers: Answers }>({ key: '', answers: {} });
  const [showChecks, setShowChecks] = useState(false);
  const checked = form
    ? validateAnswers(form.definition, checks.key === checksKey ? checks.answers : {})
    : null;
  const input = useRef<InputRef>(null);
  const items = useOutboxItems(user.id);
  const waiting = useMemo(
    () => items.filter((item) => item.kind === 'checkpoint' && item.status === 'pending').length,
    [items],
  );
  const failed = items.filter((item) => item.kind === 'checkpoint' && item.status === 'failed').length;
  const fever = temperature !== null && temperature >= FEVER_CELSIUS;

  const focus = () => window.setTimeout(() => input.current?.focus(), 0);

  /** The scan box read as an ID number or plate; the problem to show when it is neither. */
  function readScan(): { entry: Partial<EntryInput>; label: string } | string {
    const value = scan.trim();
    if (!value) {
      return subject === 'vehicle'
        ? t('checkpoints.field.plateNeeded')
        : { entry: {}, label: t('checkpoints.subjects.person') };
    }
    const kind = scannedKind(value);
    if (kind === 'idNumber') {
      const checked = checkIdNumber(value);
      if (!checked.ok) return t('checkpoints.field.badId');
      return { entry: { idNumber: checked.value.idNumber }, label: maskIdNumber(checked.value.idNumber) };
    }
    if (kind === 'plate') {
      const plate = normalizePlate(value) as string;
      return { entry: { plate }, label: plate };
    }
    return t('checkpoints.field.unreadable');
  }

  async function log(outcome: 'passed' | 'stopped', reason: string | null = null) {
    if (!checkpoint) return;
    const read = readScan();
    if (typeof read === 'string') {
      setProblem(read);
      focus();
      return;
    }
    if (checked && checked.problems.length > 0) {
      setProblem(t('checkpoints.field.checksNeeded'));
      setShowChecks(true);
      return;
    }
    const who: Subject = read.entry.plate ? 'vehicle' : read.entry.idNumber ? 'person' : subject;
    // Cleared before the entry is saved: a scanner's next line may arrive while this one is being written.
    setScan('');
    setTemperature(null);
    setProblem(null);
    setStopping(false);
    setChecksRound((n) => n + 1);
    setShowChecks(false);
    focus();
    const item = await fieldOutbox().addCheckpointEntry(user.id, {
      checkpointId: checkpoint.id,
      label: `${checkpoint.name} · ${read.label}`,
      entry: {
        at: new Date().toISOString(),
        direction,
        subject: who,
        plate: read.entry.plate ?? null,
        idNumber: read.entry.idNumber ?? null,
        temperature,
        // The version asked goes with the answers: the server checks them by it even if the form is
        // republished before this entry leaves the phone.
        ...(checked && form
          ? {
              checks: checked.answers as NonNullable<EntryInput['checks']>,
              formVersionId: form.versionId,
            }
          : {}),
        outcome,
        reason,
      },
    });
    setLogged((list) =>
      [{ key: item.id, direction, label: read.label, stopped: outcome === 'stopped' }, ...list].slice(0, 5),
    );
    setCount((n) => n + 1);
    void sync();
  }

  if (checkpoints.length === 0) return <Empty description={t('checkpoints.field.none')} />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="checkpoint-tab">
      <Select
        style={{ width: '100%' }}
        value={checkpoint?.id}
        placeholder={t('checkpoints.field.choose')}
        aria-label={t('checkpoints.field.choose')}
        options={checkpoints.map((c) => ({ value: c.id, label: `${c.name}（${c.villageName}）` }))}
        onChange={(id: number) => {
          setChosen(id);
          localStorage.setItem(CHOSEN_KEY, String(id));
          focus();
        }}
      />
      {checkpoint ? (
        <>
          <div className="gg-checkpoint-toggle">
            {(['in', 'out'] as const).map((d) => (
              <Button
                key={d}
                block
                type={direction === d ? 'primary' : 'default'}
                icon={d === 'in' ? <LoginOutlined /> : <LogoutOutlined />}
                onClick={() => {
                  setDirection(d);
                  focus();
                }}
                data-testid={`checkpoint-direction-${d}`}
              >
                {t(`checkpoints.directions.${d}`)}
              </Button>
            ))}
            {(['person', 'vehicle'] as const).map((s) => (
              <Button
                key={s}
                block
                type={subject === s ? 'primary' : 'default'}
                ghost={subject === s}
                onClick={() => {
                  setSubject(s);
                  focus();
                }}
              >
                {t(`checkpoints.subjects.${s}`)}
              </Button>
            ))}
          </div>
          <Input
            ref={input}
            autoFocus
            size="large"
            value={scan}
            status={problem ? 'error' : undefined}
            placeholder={t('checkpoints.field.scanPlaceholder')}
            aria-label={t('checkpoints.field.scanPlaceholder')}
            autoComplete="off"
            enterKeyHint="done"
            onChange={(event) => {
              setScan(event.target.value);
              setProblem(null);
            }}
            onPressEnter={() => void log('passed')}
            data-testid="checkpoint-scan"
          />
          {problem ? <Alert type="error" showIcon title={problem} data-testid="checkpoint-problem" /> : null}
          <InputNumber
            style={{ width: '100%' }}
            min={30}
            max={45}
            step={0.1}
            precision={1}
            value={temperature}
            status={fever ? 'error' : undefined}
            placeholder={t('checkpoints.field.temperature')}
            aria-label={t('checkpoints.field.temperature')}
            suffix="°C"
            onChange={(value) => setTemperature(typeof value === 'number' ? value : null)}
            onPressEnter={() => void log('passed')}
          />
          {fever ? (
            <Alert type="warning" showIcon title={t('checkpoints.field.fever', { limit: FEVER_CELSIUS })} />
          ) : null}
          {form ? (
            <section
              className="gg-checkpoint-checks"
              aria-label={t('checkpoints.field.checks')}
              data-testid="checkpoint-checks"
            >
              <LazyFormRenderer
                key={checksKey}
                definition={form.definition}
                language={locale}
                compact
                showProblems={showChecks}
                onChange={(answers) => {
                  setChecks({ key: checksKey, answers });
                  setProblem(null);
                }}
              />
            </section>
          ) : null}
          <div className="gg-checkpoint-actions">
            <Button
              type="primary"
              className="gg-checkpoint-pass"
              icon={<CheckCircleOutlined />}
              onClick={() => void log('passed')}
              data-testid="checkpoint-pass"
            >
              {t('checkpoints.outcomes.passed')}
            </Button>
            <Button
              danger
              type="primary"
              icon={<StopOutlined />}
              onClick={() => setStopping((open) => !open)}
              data-testid="checkpoint-stop"
            >
              {t('checkpoints.outcomes.stopped')}
            </Button>
          </div>
          {stopping ? (
            <div className="gg-checkpoint-reasons">
              {STOP_REASONS.map((reason) => (
                <Button
                  key={reason}
                  danger
                  onClick={() => void log('stopped', t(`checkpoints.field.reasons.${reason}`))}
                >
                  {t(`checkpoints.field.reasons.${reason}`)}
                </Button>
              ))}
            </div>
          ) : null}
          <Typography.Text type="secondary" data-testid="checkpoint-counter">
            {t('checkpoints.field.counter', { count, waiting })}
          </Typography.Text>
          {failed ? (
            <Alert type="error" showIcon title={t('checkpoints.field.failed', { count: failed })} />
          ) : null}
          <div className="gg-checkpoint-recent">
            {logged.map((entry) => (
              <div key={entry.key}>
                <Tag color={entry.direction === 'in' ? 'blue' : 'default'}>
                  {t(`checkpoints.directions.${entry.direction}`)}
                </Tag>
                <span>{entry.label}</span>
                {entry.stopped ? <Tag color="red">{t('checkpoints.outcomes.stopped')}</Tag> : null}
              </div>
            ))}
          </div>
          {checkpoint.onDutyNow.length ? (
            <Typography.Text type="secondary">
              {t('checkpoints.onDuty')}: {checkpoint.onDutyNow.join('、')}
            </Typography.Text>
          ) : null}
        </>
      ) : null}
    </Space>
  );
}
