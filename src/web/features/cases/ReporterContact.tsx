import { useMutation } from '@tanstack/react-query';
import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseRevealResult } from '../../../shared/case-privacy.ts';
import type { CaseDetail } from '../../../shared/cases.ts';
import { api, errorText } from '../../api/client.ts';

/** Shows the reporter's phone of a case in clear, once; the server records the reveal (`case.reveal`). */
function useRevealReporterPhone(caseId: number) {
  return useMutation({
    mutationFn: () =>
      api<CaseRevealResult>(`/cases/${caseId}/reveal`, { method: 'POST', body: { field: 'reporterPhone' } }),
  });
}

/**
 * The reporter of a case: name, and phone as the role may see it — masked for most, with 查看 where the role
 * may reveal it (REPORTER_PHONE_VISIBILITY), like the registry's personal data.
 */
export function ReporterContact({
  detail,
}: {
  detail: Pick<
    CaseDetail,
    'id' | 'reporterName' | 'reporterPhone' | 'reporterPhoneMasked' | 'reporterPhoneRevealable'
  >;
}) {
  const { t } = useTranslation();
  const reveal = useRevealReporterPhone(detail.id);
  const [shown, setShown] = useState<string | null>(null);
  if (!detail.reporterName && !detail.reporterPhone) return <>—</>;
  return (
    <Space size={6} wrap>
      {detail.reporterName ? <span>{detail.reporterName}</span> : null}
      {shown !== null ? (
        <>
          <Typography.Text copyable data-testid="revealed-reporterPhone">
            {shown}
          </Typography.Text>
          <Tag color="orange">{t('registry.detail.revealed')}</Tag>
        </>
      ) : detail.reporterPhone ? (
        <>
          <span data-testid="value-reporterPhone">{detail.reporterPhone}</span>
          {detail.reporterPhoneMasked && detail.reporterPhoneRevealable ? (
            <Tooltip title={t('registry.detail.revealNote')}>
              <Button
                size="small"
                type="link"
                data-testid="reveal-reporterPhone"
                loading={reveal.isPending}
                onClick={() =>
                  reveal.mutate(undefined, { onSuccess: (result) => setShown(result.value ?? '—') })
                }
              >
                {t('registry.detail.reveal')}
              </Button>
            </Tooltip>
          ) : null}
        </>
      ) : null}
      {reveal.isError ? <Typography.Text type="danger">{errorText(reveal.error)}</Typography.Text> : null}
    </Space>
  );
}
