import { AimOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, InputNumber, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LocateResult } from '../../../shared/territory.ts';
import { errorText } from '../../api/client.ts';
import { useLocate } from './api.ts';
import { PeopleList } from './PeopleList.tsx';

// The path shown starts at the town: province, city and district are the same for everyone in it.
const LOCAL_LEVELS = new Set(['town', 'village', 'grid']);

interface LocateForm {
  lon: number | null;
  lat: number | null;
}

/** Finds the leaf grid of a WGS-84 point and the people responsible for it. */
export function LocateBox({
  onLocated,
}: {
  onLocated: (point: [number, number] | null, result: LocateResult | null) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<LocateForm>();
  const locate = useLocate();

  const submit = ({ lon, lat }: LocateForm) => {
    if (lon === null || lat === null) return;
    locate.mutate(
      { lon, lat },
      {
        onSuccess: (result) => onLocated([lon, lat], result),
        onError: () => onLocated(null, null),
      },
    );
  };

  const result = locate.data;
  return (
    <Flex vertical gap={8}>
      <Form<LocateForm> form={form} layout="inline" onFinish={submit} size="small" style={{ rowGap: 8 }}>
        <Form.Item
          name="lon"
          rules={[
            { required: true, type: 'number', min: -180, max: 180, message: t('territory.locate.invalid') },
          ]}
          style={{ marginInlineEnd: 4 }}
        >
          <InputNumber
            placeholder={t('territory.locate.lon')}
            aria-label={t('territory.locate.lon')}
            step={0.0001}
            style={{ width: 104 }}
          />
        </Form.Item>
        <Form.Item
          name="lat"
          rules={[
            { required: true, type: 'number', min: -90, max: 90, message: t('territory.locate.invalid') },
          ]}
          style={{ marginInlineEnd: 4 }}
        >
          <InputNumber
            placeholder={t('territory.locate.lat')}
            aria-label={t('territory.locate.lat')}
            step={0.0001}
            style={{ width: 96 }}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<AimOutlined />} loading={locate.isPending}>
          {t('territory.locate.submit')}
        </Button>
      </Form>
      {locate.isError ? <Alert type="error" showIcon title={errorText(locate.error)} /> : null}
      {result && !result.found ? (
        <Alert type="warning" showIcon title={result.message || t('territory.locate.notFound')} />
      ) : null}
      {result?.found ? (
        <div data-testid="locate-result">
          <Alert
            type="success"
            title={
              <Flex vertical gap={4} style={{ fontSize: 13 }}>
                <Typography.Text strong>
                  {t('common.labelValue', { label: t('territory.locate.foundIn'), value: result.grid.name })}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[...result.ancestors.filter((a) => LOCAL_LEVELS.has(a.level)), result.grid]
                    .map((region) => region.name)
                    .join(' / ')}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('common.labelValue', { label: t('common.code'), value: result.grid.code })}
                </Typography.Text>
                <PeopleList people={result.people} />
                {result.layers.map((located) => (
                  <Typography.Text
                    key={located.kind}
                    style={{ fontSize: 12 }}
                    data-testid={`locate-${located.kind}`}
                  >
                    {t('party.layer.foundInLayer', {
                      layer: t(`party.layer.${located.kind}`),
                      name: located.grid.name,
                    })}
                  </Typography.Text>
                ))}
              </Flex>
            }
            closable={{
              onClose: () => {
                locate.reset();
                onLocated(null, null);
              },
            }}
          />
        </div>
      ) : null}
    </Flex>
  );
}
