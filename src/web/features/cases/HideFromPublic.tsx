import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { App, Button, Input, Modal, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../shared/cases.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useModerateCase } from './api.ts';

const MODERATOR_ROLES = ['administrator', 'dispatcher'];

/**
 * Moderation of what the public sees of a case: a tag when the description or a photo is hidden (its reason
 * on hover); for dispatchers and administrators a button that hides it, or shows it again, asking why
 * (audited).
 */
export function HideFromPublic({ detail, target }: { detail: CaseDetail; target: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const role = useSession().data?.user.role;
  const moderate = useModerateCase(detail.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const hidden = detail.moderation.find((m) => m.target === target);
  const moderator = Boolean(role && MODERATOR_ROLES.includes(role));
  const mode = hidden ? 'restore' : 'hide';
  return (
    <>
      {hidden ? (
        <Tooltip title={t('cases.moderation.hiddenBy', { name: hidden.hiddenByName, reason: hidden.reason })}>
          <Tag icon={<EyeInvisibleOutlined />} data-testid="moderation-hidden">
            {t('cases.moderation.hidden')}
          </Tag>
        </Tooltip>
      ) : null}
      {moderator ? (
        <Button
          size="small"
          type="link"
          icon={hidden ? <EyeOutlined /> : <EyeInvisibleOutlined />}
          onClick={() => setOpen(true)}
        >
          {t(`cases.moderation.${mode}`)}
        </Button>
      ) : null}
      <Modal
        open={open}
        title={t(`cases.moderation.${mode}Title`)}
        okText={t(`cases.moderation.${mode}`)}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: moderate.isPending }}
        onCancel={() => setOpen(false)}
        onOk={() =>
          moderate.mutate(
            { target, reason: reason.trim(), mode },
            {
              onSuccess: () => {
                setOpen(false);
                setReason('');
              },
              onError: (error) => void message.error(errorText(error)),
            },
          )
        }
      >
        <Input.TextArea
          rows={3}
          maxLength={200}
          placeholder={t(`cases.moderation.${mode}Reason`)}
          aria-label={t(`cases.moderation.${mode}Reason`)}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </Modal>
    </>
  );
}
