import { InboxOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Form, Radio, Row, Select, Statistic, Typography, Upload } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/*
 * Pieces of the file import wizards (12345 work orders, the registry): choosing the file, mapping its columns
 * to fields, and the row of counts.
 */

/** Picks a CSV or XLSX file; the wizard sends it itself, with its mapping. */
export function FileDrop({
  text,
  hint,
  onChosen,
}: {
  text: string;
  hint: string;
  onChosen: (file: File) => void;
}) {
  return (
    <Upload.Dragger
      accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      showUploadList={false}
      beforeUpload={(file) => {
        onChosen(file);
        // The file is sent by the wizard itself, with the mapping; the Upload control only picks it.
        return false;
      }}
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{text}</p>
      <p className="ant-upload-hint">{hint}</p>
    </Upload.Dragger>
  );
}

export interface MappedField {
  field: string;
  label: string;
  required: boolean;
}

export type Crs = 'wgs84' | 'gcj02';

/**
 * The file column of each field, chosen from the file's headers ("not imported" for none), the coordinate
 * system of its longitude and latitude, and what is still wrong with the mapping.
 */
export function ColumnMapping(props: {
  help: ReactNode;
  fields: readonly MappedField[];
  headers: readonly string[];
  mapping: Readonly<Record<string, string | null | undefined>>;
  problems: readonly string[];
  crs: Crs;
  disabled: boolean;
  /** Prefix of the selects' element ids, unique on the page. */
  idPrefix: string;
  onField: (field: string, header: string | null) => void;
  onCrs: (crs: Crs) => void;
}) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('fileImport.mapping.title')}>
      <Typography.Paragraph type="secondary">{props.help}</Typography.Paragraph>
      <Form layout="vertical" size="small">
        <Row gutter={16}>
          {props.fields.map(({ field, label, required }) => (
            <Col key={field} xs={24} sm={12} lg={6}>
              <Form.Item label={label} required={required} htmlFor={`${props.idPrefix}-map-${field}`}>
                <Select<string>
                  id={`${props.idPrefix}-map-${field}`}
                  data-testid={`map-${field}`}
                  value={props.mapping[field] ?? ''}
                  disabled={props.disabled}
                  onChange={(header) => props.onField(field, header || null)}
                  options={[
                    { value: '', label: t('fileImport.mapping.none') },
                    ...props.headers.map((header) => ({ value: header, label: header })),
                  ]}
                />
              </Form.Item>
            </Col>
          ))}
          <Col xs={24} sm={12} lg={6}>
            <Form.Item label={t('fileImport.mapping.crs')}>
              <Radio.Group
                value={props.crs}
                disabled={props.disabled}
                onChange={(event) => props.onCrs(event.target.value)}
                options={[
                  { value: 'wgs84', label: t('fileImport.mapping.wgs84') },
                  { value: 'gcj02', label: t('fileImport.mapping.gcj02') },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {props.problems.length ? (
        <Alert
          type="warning"
          showIcon
          title={t('fileImport.mapping.problems')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {props.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          }
        />
      ) : null}
    </Card>
  );
}

/** Counts side by side; a `danger` one in red when it is not zero (rows with problems, rows not imported). */
export function CountRow({
  items,
  testId,
}: {
  items: readonly { title: string; value: number; danger?: boolean }[];
  testId: string;
}) {
  const span = Math.floor(24 / Math.max(items.length, 1));
  return (
    <Row gutter={16} data-testid={testId}>
      {items.map((item) => (
        <Col key={item.title} span={span}>
          <Statistic
            title={item.title}
            value={item.value}
            styles={{ content: { color: item.danger && item.value ? '#cf1322' : undefined } }}
          />
        </Col>
      ))}
    </Row>
  );
}
