import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AccountabilityTable } from './TaskBooksPage.tsx';

/** 问责清单 across every task book the user sees. */
export default function AccountabilityPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('inspections.taskBooks.accountability')}>
      <Typography.Paragraph type="secondary">
        {t('inspections.taskBooks.accountabilityHelp')}
      </Typography.Paragraph>
      <AccountabilityTable bookId={null} />
    </Card>
  );
}
