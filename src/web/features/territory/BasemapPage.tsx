import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BASEMAP_PRESETS, type BasemapSetting } from '../../../shared/basemap.ts';
import { errorText } from '../../api/client.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { useBasemapSettings, useSaveBasemap } from '../../components/map/api.ts';

/**
 * 底图设置: the basemap every map draws, for the whole deployment. Saved settings take effect at once for every
 * map opened after (and the pages' security policy lets the tile server in); "default" returns to the
 * deployment's GRIDGOV_BASEMAP_URL.
 */
export default function BasemapPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<BasemapSetting>();
  const settings = useBasemapSettings();
  const save = useSaveBasemap();
  const preset = Form.useWatch('preset', form) ?? 'none';

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data.setting ?? { preset: 'none' });
  }, [settings.data, form]);

  const submit = (values: BasemapSetting) =>
    save.mutate(values, {
      // The page's security policy came with the document: a new tile host is let in by loading it again.
      onSuccess: () => void message.success(t('map.basemap.saved'), 1).then(() => window.location.reload()),
      onError: (error) => showServerIssues(form, error, ['tiandituKey', 'url', 'labelUrl', 'attribution']),
    });
  const tianditu = preset === 'tiandituVector' || preset === 'tiandituImagery';
  const custom = preset === 'xyz' || preset === 'wmts';

  return (
    <Card title={t('map.basemap.title')} style={{ maxWidth: 820 }}>
      {settings.isError ? <Alert type="error" showIcon title={errorText(settings.error)} /> : null}
      {save.isError ? (
        <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Typography.Paragraph type="secondary">{t('map.basemap.intro')}</Typography.Paragraph>
      <Form<BasemapSetting>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ preset: 'none' }}
      >
        <Form.Item name="preset" label={t('map.basemap.preset')}>
          <Radio.Group
            options={BASEMAP_PRESETS.map((value) => ({ value, label: t(`map.basemap.presets.${value}`) }))}
          />
        </Form.Item>
        {tianditu ? (
          <Form.Item
            name="tiandituKey"
            label={t('map.basemap.tiandituKey')}
            extra={t('map.basemap.tiandituKeyHint')}
            rules={[{ required: true, message: t('map.basemap.tiandituKeyRequired') }]}
          >
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        ) : null}
        {custom ? (
          <>
            <Form.Item
              name="url"
              label={t('map.basemap.url')}
              extra={t(preset === 'wmts' ? 'map.basemap.wmtsHint' : 'map.basemap.xyzHint')}
              rules={[{ required: true, message: t('map.basemap.urlRequired') }]}
            >
              <Input maxLength={1000} />
            </Form.Item>
            <Form.Item name="labelUrl" label={t('map.basemap.labelUrl')}>
              <Input maxLength={1000} />
            </Form.Item>
          </>
        ) : null}
        {preset !== 'none' ? (
          <Form.Item name="attribution" label={t('map.basemap.attribution')}>
            <Input maxLength={200} />
          </Form.Item>
        ) : null}
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Button
            onClick={() => save.mutate(null, { onSuccess: () => window.location.reload() })}
            disabled={!settings.data?.setting}
          >
            {t('map.basemap.useDefault')}
          </Button>
        </Space>
      </Form>
      <Descriptions
        size="small"
        column={1}
        style={{ marginTop: 24 }}
        items={[
          {
            key: 'effective',
            label: t('map.basemap.effective'),
            children: (
              <Typography.Text data-testid="basemap-effective" style={{ wordBreak: 'break-all' }}>
                {settings.data?.effective?.url ?? t('map.basemap.none')}
              </Typography.Text>
            ),
          },
          {
            key: 'default',
            label: t('map.basemap.default'),
            children: settings.data?.defaultUrl ?? t('map.basemap.none'),
          },
        ]}
      />
    </Card>
  );
}
