import { Form, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RequestKind } from '../../../shared/volunteers.ts';
import { useCheckpoints } from '../checkpoints/api.ts';
import { useVisitCampaigns } from '../household-visits/api.ts';

/**
 * The tool a request hands its volunteers (optional): the visit campaign of a door-to-door request, the
 * checkpoint of a checkpoint shift. Offered only from the community asked for, as the server refuses others.
 */
export function TaskToolField() {
  const form = Form.useFormInstance();
  const kind = Form.useWatch('kind', form) as RequestKind | undefined;
  const regionCode = Form.useWatch('regionCode', form) as string | undefined;
  if (!regionCode) return null;
  if (kind === 'doorToDoor') return <CampaignField regionCode={regionCode} />;
  if (kind === 'checkpoint') return <CheckpointField regionCode={regionCode} />;
  return null;
}

function CampaignField({ regionCode }: { regionCode: string }) {
  const { t } = useTranslation();
  const campaigns = useVisitCampaigns();
  // A campaign serves the community when its area holds the community or lies within it.
  const options = (campaigns.data?.items ?? [])
    .filter((c) => c.regions.some((r) => r.code.startsWith(regionCode) || regionCode.startsWith(r.code)))
    .map((c) => ({ value: c.id, label: c.name }));
  return (
    <Form.Item
      name="visitCampaignId"
      label={t('volunteers.requests.visitCampaign')}
      extra={t('volunteers.requests.toolHelp')}
    >
      <Select allowClear options={options} loading={campaigns.isPending} data-testid="request-campaign" />
    </Form.Item>
  );
}

function CheckpointField({ regionCode }: { regionCode: string }) {
  const { t } = useTranslation();
  const checkpoints = useCheckpoints({ regionCode });
  const options = (checkpoints.data?.checkpoints ?? []).map((c) => ({ value: c.id, label: c.name }));
  return (
    <Form.Item
      name="checkpointId"
      label={t('volunteers.requests.checkpoint')}
      extra={t('volunteers.requests.toolHelp')}
    >
      <Select allowClear options={options} loading={checkpoints.isPending} data-testid="request-checkpoint" />
    </Form.Item>
  );
}
