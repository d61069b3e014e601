import { AimOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, Input, InputNumber, Radio, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/errors.ts';
import { type AnswerCheck, formText, validateAnswers } from '../../../shared/form-answers.ts';
import type {
  Answers,
  AnswerValue,
  FormDefinition,
  GeopointAnswer,
  Question,
} from '../../../shared/forms.ts';
import { uploadEvidence } from '../../api/client.ts';
import { PhotoUpload } from '../../components/PhotoUpload.tsx';
import { useLocale } from '../../i18n/index.ts';
import { SignaturePad } from '../field/SignaturePad.tsx';

export interface FormRendererProps {
  definition: FormDefinition;
  initialAnswers?: Answers;
  /** The form's language; the console's by default. */
  language?: Locale;
  /** Every change, with the check of all answers (relevant questions, problems, clean answers). */
  onChange?: (answers: Answers, check: AnswerCheck) => void;
  /** Called with the clean answers (hidden questions dropped) once every shown question passes. */
  onSubmit?: (answers: Answers) => void | Promise<void>;
  submitLabel?: string;
  /** Submitting (e.g. the caller's request is under way). */
  busy?: boolean;
  /** Small controls, tight spacing: a form that sits inside another screen (a checkpoint's checks). */
  compact?: boolean;
  /** Show every problem, touched or not: the caller tried to go on without a valid form. */
  showProblems?: boolean;
}

/**
 * Renders a form definition with Ant Design's controls and checks it with the same evaluator the server runs
 * (src/shared/form-answers.ts): a question appears when its condition holds, and an answer outside its
 * constraint shows the form's own message under the question. Works offline: it needs no request except
 * uploading a photo or signature.
 */
export default function FormRenderer({
  definition,
  initialAnswers = {},
  language,
  onChange,
  onSubmit,
  submitLabel,
  busy,
  compact,
  showProblems,
}: FormRendererProps) {
  const { t } = useTranslation();
  const consoleLocale = useLocale();
  const locale = language ?? consoleLocale;
  const [answers, setAnswers] = useState<Answers>(initialAnswers);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const check = useMemo(() => validateAnswers(definition, answers), [definition, answers]);
  const problems = new Map(check.problems.map((p) => [p.name, formText(p.message, locale)]));
  const shown = new Set(check.relevant);

  const set = (name: string, value: AnswerValue | undefined) => {
    const next = { ...answers };
    if (value === undefined || value === null || value === '') delete next[name];
    else next[name] = value;
    setAnswers(next);
    setTouched((before) => new Set(before).add(name));
    onChange?.(next, validateAnswers(definition, next));
  };

  const submit = async () => {
    setSubmitted(true);
    if (check.problems.length === 0) await onSubmit?.(check.answers);
  };

  return (
    <Form
      layout="vertical"
      size={compact ? 'small' : undefined}
      className={compact ? 'form-renderer form-renderer-compact' : 'form-renderer'}
      onFinish={submit}
      data-testid="form-renderer"
    >
      {definition.questions
        .filter((q) => shown.has(q.name))
        .map((q) => {
          const problem = touched.has(q.name) || submitted || showProblems ? problems.get(q.name) : undefined;
          if (q.type === 'note') {
            return (
              <Typography.Paragraph key={q.name} type="secondary" data-question={q.name}>
                {formText(q.label, locale)}
              </Typography.Paragraph>
            );
          }
          return (
            <Form.Item
              key={q.name}
              label={formText(q.label, locale)}
              required={q.required}
              extra={q.hint ? formText(q.hint, locale) : undefined}
              validateStatus={problem ? 'error' : undefined}
              help={problem}
              data-question={q.name}
            >
              <QuestionInput
                question={q}
                value={answers[q.name]}
                onChange={(v) => set(q.name, v)}
                locale={locale}
              />
            </Form.Item>
          );
        })}
      {submitted && check.problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('forms.renderer.fixProblems', { count: check.problems.length })}
        />
      )}
      {onSubmit && (
        <Button type="primary" htmlType="submit" loading={busy} block style={{ marginTop: 12 }}>
          {submitLabel ?? t('forms.renderer.submit')}
        </Button>
      )}
    </Form>
  );
}

function QuestionInput({
  question: q,
  value,
  onChange,
  locale,
}: {
  question: Question;
  value: AnswerValue | undefined;
  onChange: (value: AnswerValue | undefined) => void;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const text = typeof value === 'string' ? value : '';
  switch (q.type) {
    case 'text':
      return (
        <Input.TextArea
          autoSize={{ minRows: 1, maxRows: 6 }}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'integer':
    case 'decimal':
      return (
        <InputNumber
          style={{ width: '100%' }}
          inputMode={q.type === 'integer' ? 'numeric' : 'decimal'}
          precision={q.type === 'integer' ? 0 : undefined}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange(v === null ? undefined : Number(v))}
        />
      );
    case 'selectOne':
      return (
        <Radio.Group value={text || undefined} onChange={(e) => onChange(e.target.value)}>
          <Space direction="vertical">
            {q.choices?.map((c) => (
              <Radio key={c.value} value={c.value}>
                {formText(c.label, locale)}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      );
    case 'selectMultiple':
      return (
        <Checkbox.Group value={Array.isArray(value) ? value : []} onChange={(v) => onChange(v as string[])}>
          <Space direction="vertical">
            {q.choices?.map((c) => (
              <Checkbox key={c.value} value={c.value}>
                {formText(c.label, locale)}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      );
    case 'yesNo':
      return (
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          value={text || undefined}
          onChange={(e) => onChange(e.target.value)}
          options={[
            { value: 'yes', label: t('forms.renderer.yes') },
            { value: 'no', label: t('forms.renderer.no') },
          ]}
        />
      );
    case 'date':
      return <Input type="date" value={text} onChange={(e) => onChange(e.target.value)} />;
    case 'time':
      return <Input type="time" value={text} onChange={(e) => onChange(e.target.value)} />;
    case 'dateTime':
      return (
        <Input
          type="datetime-local"
          value={text.slice(0, 16)}
          // The form keeps an instant with its offset; the phone shows Beijing time (UTC+8, no daylight saving).
          onChange={(e) => onChange(e.target.value ? `${e.target.value}:00+08:00` : undefined)}
        />
      );
    case 'phone':
      return (
        <Input inputMode="tel" autoComplete="tel" value={text} onChange={(e) => onChange(e.target.value)} />
      );
    case 'idNumber':
      return <Input maxLength={18} value={text} onChange={(e) => onChange(e.target.value.toUpperCase())} />;
    case 'geopoint':
      return <GeopointInput value={value as GeopointAnswer | undefined} onChange={onChange} />;
    case 'photo':
      return <PhotoUpload max={1} value={text ? [text] : []} onChange={(ids) => onChange(ids[0])} />;
    case 'signature':
      return <SignatureInput value={text} onChange={onChange} />;
    case 'note':
      return null;
  }
}

function GeopointInput({
  value,
  onChange,
}: {
  value: GeopointAnswer | undefined;
  onChange: (value: GeopointAnswer | undefined) => void;
}) {
  const { t } = useTranslation();
  const [locating, setLocating] = useState(false);
  const locate = () => {
    if (!navigator.geolocation) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        onChange({
          lon: p.coords.longitude,
          lat: p.coords.latitude,
          accuracyM: Math.round(p.coords.accuracy),
        });
      },
      () => setLocating(false),
      { enableHighAccuracy: true, timeout: 20_000 },
    );
  };
  return (
    <Space wrap>
      <Button icon={<AimOutlined />} loading={locating} onClick={locate}>
        {t('forms.renderer.locate')}
      </Button>
      {value && (
        <Typography.Text>
          {value.lon.toFixed(6)}, {value.lat.toFixed(6)}
          {value.accuracyM !== undefined && ` ±${value.accuracyM} m`}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The signature pad of the field view; each finished drawing is uploaded and the question keeps its id. */
function SignatureInput({
  value,
  onChange,
}: {
  value: string;
  onChange: (value: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <SignaturePad
        onChange={async (blob) => {
          if (!blob) return onChange(undefined);
          try {
            setFailed(false);
            onChange((await uploadEvidence(blob)).id);
          } catch {
            setFailed(true);
          }
        }}
      />
      {value && <Typography.Text type="success">{t('forms.renderer.signed')}</Typography.Text>}
      {failed && <Typography.Text type="danger">{t('forms.renderer.uploadFailed')}</Typography.Text>}
    </Space>
  );
}
