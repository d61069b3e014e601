import { Alert, type DatePickerProps, Form, type FormInstance, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { type AttributeValues, MAX_ATTRIBUTE_VALUE } from '../../shared/attributes.ts';
import type { CategoryAttribute } from '../../shared/cases.ts';
import { ApiError } from '../api/client.ts';

/** Where the fields' values sit in a form: `attributes.CODE`, as the report body and the server's issues name them. */
const FIELD = 'attributes';

/**
 * The extra fields of a category as form items, in their order: each datatype with its input, required ones
 * marked, and fields that take no input (variable false) as notes to the reporter. Used by every report form, so
 * the console and the portal ask the same way.
 */
export function AttributeFields({ attributes }: { attributes: readonly CategoryAttribute[] }) {
  const { t } = useTranslation();
  const sorted = [...attributes].sort((a, b) => a.order - b.order);
  return (
    <>
      {sorted.map((attribute) =>
        attribute.variable ? (
          <Form.Item
            key={attribute.code}
            name={[FIELD, attribute.code]}
            label={attribute.description}
            extra={attribute.datatypeDescription || undefined}
            rules={[
              {
                required: attribute.required,
                message: t(
                  attribute.datatype.endsWith('valuelist') ? 'attributes.choose' : 'attributes.fill',
                  {
                    field: attribute.description,
                  },
                ),
              },
            ]}
          >
            {inputOf(attribute, t('attributes.choosePlaceholder'))}
          </Form.Item>
        ) : (
          <Alert
            key={attribute.code}
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={attribute.description}
            description={attribute.datatypeDescription || undefined}
            data-testid={`attribute-${attribute.code}`}
          />
        ),
      )}
    </>
  );
}

const LazyDateTimeInput = lazy(() => import('./DateTimeInput.tsx'));

/** The date-time picker, fetched when a category first asks for one (the resident portal usually never does). */
function DateTimeInput(props: DatePickerProps) {
  return (
    <Suspense fallback={<Input disabled style={{ width: '100%' }} />}>
      <LazyDateTimeInput {...props} />
    </Suspense>
  );
}

function inputOf(attribute: CategoryAttribute, placeholder: string): ReactNode {
  const testId = `attribute-${attribute.code}`;
  const options = attribute.values.map((v) => ({ value: v.key, label: v.name }));
  switch (attribute.datatype) {
    case 'string':
      return <Input maxLength={MAX_ATTRIBUTE_VALUE} data-testid={testId} />;
    case 'number':
      return <InputNumber inputMode="decimal" style={{ width: '100%' }} data-testid={testId} />;
    case 'datetime':
      return <DateTimeInput data-testid={testId} />;
    case 'text':
      return <Input.TextArea rows={3} maxLength={MAX_ATTRIBUTE_VALUE} data-testid={testId} />;
    case 'singlevaluelist':
      return (
        <Select
          options={options}
          placeholder={placeholder}
          allowClear={!attribute.required}
          data-testid={testId}
        />
      );
    case 'multivaluelist':
      return <Select mode="multiple" options={options} placeholder={placeholder} data-testid={testId} />;
  }
}

/**
 * The form's values of the category's fields as a report sends them: numbers and date-times as text (a date-time
 * in ISO 8601 with its offset), blank ones left out, and nothing of fields another category had.
 */
export function attributeValuesOf(
  attributes: readonly CategoryAttribute[],
  values: Record<string, unknown> | undefined,
): AttributeValues {
  const result: AttributeValues = {};
  for (const attribute of attributes) {
    if (!attribute.variable) continue;
    const value = values?.[attribute.code];
    if (Array.isArray(value)) {
      if (value.length) result[attribute.code] = value.map(String);
    } else if (typeof value === 'number') {
      result[attribute.code] = String(value);
    } else if (typeof value === 'string') {
      if (value.trim()) result[attribute.code] = value.trim();
    } else if (isDate(value)) {
      result[attribute.code] = value.format();
    }
  }
  return result;
}

/**
 * Sent values back as the form holds them (the reverse of attributeValuesOf): for a report kept to be sent later
 * and opened again to fix it. A number as a number and a date-time as the date picker's value; one the category
 * no longer reads that way stays as it was, for the field's own check to refuse.
 */
export function attributeFormValues(
  attributes: readonly CategoryAttribute[],
  values: AttributeValues | undefined,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const attribute of attributes) {
    const value = values?.[attribute.code];
    if (value === undefined) continue;
    if (attribute.datatype === 'number' && typeof value === 'string' && Number.isFinite(Number(value))) {
      result[attribute.code] = Number(value);
    } else if (attribute.datatype === 'datetime' && typeof value === 'string' && dayjs(value).isValid()) {
      result[attribute.code] = dayjs(value);
    } else {
      result[attribute.code] = value;
    }
  }
  return result;
}

/** A date picker's value (a Dayjs), told by what it can do. */
function isDate(value: unknown): value is { format(): string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { format?: unknown }).format === 'function'
  );
}

/** Puts the server's refusals of extra fields (issues at `attributes.CODE`) under those fields; true if any. */
export function showAttributeIssues(form: FormInstance, error: unknown): boolean {
  return error instanceof ApiError && showAttributeIssueList(form, error.issues);
}

/** The same for issues kept from an earlier answer: the field view's outbox keeps those of a refused report. */
export function showAttributeIssueList(form: FormInstance, issues: ApiError['issues']): boolean {
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    const [field, code] = issue.path.split('.');
    if (field !== FIELD || !code) continue;
    byField.set(code, [...(byField.get(code) ?? []), issue.message]);
  }
  form.setFields([...byField].map(([code, errors]) => ({ name: [FIELD, code], errors })));
  return byField.size > 0;
}
