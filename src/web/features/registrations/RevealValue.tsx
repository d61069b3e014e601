import { useMutation } from '@tanstack/react-query';
import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Registration,
  type RegistrationSensitiveField,
  registrationRevealRoles,
} from '../../../shared/registrations.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { revealRegistration } from './api.ts';

/**
 * A registrant's ID number or phone: masked, with 查看 for a role that may reveal it; the value shown in clear
 * stays on this row only, and the server records the reveal in the personal data log.
 */
export function RevealValue({
  registration,
  field,
}: {
  registration: Registration;
  field: RegistrationSensitiveField;
}) {
  const { t } = useTranslation();
  const role = useSession().data?.user.role;
  const [shown, setShown] = useState<string | null>(null);
  const reveal = useMutation({ mutationFn: () => revealRegistration(registration.id, field) });
  const mayReveal = role !== undefined && registrationRevealRoles(field).includes(role);
  if (shown !== null) {
    return (
      <Space size={4}>
        <Typography.Text copyable data-testid={`revealed-${field}-${registration.id}`}>
          {shown}
        </Typography.Text>
        <Tag color="orange">{t('registry.detail.revealed')}</Tag>
      </Space>
    );
  }
  return (
    <Space size={4} wrap>
      <span>{registration[field]}</span>
      {mayReveal ? (
        <Tooltip title={t('registry.detail.revealNote')}>
          <Button
            size="small"
            type="link"
            style={{ padding: 0 }}
            data-testid={`reveal-${field}-${registration.id}`}
            loading={reveal.isPending}
            onClick={() => reveal.mutate(undefined, { onSuccess: (result) => setShown(result.value) })}
          >
            {t('registrations.console.reveal')}
          </Button>
        </Tooltip>
      ) : null}
      {reveal.isError ? <Typography.Text type="danger">{errorText(reveal.error)}</Typography.Text> : null}
    </Space>
  );
}
