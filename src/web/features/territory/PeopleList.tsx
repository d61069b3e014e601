import { PhoneOutlined, UserOutlined } from '@ant-design/icons';
import { Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ResponsiblePerson } from '../../../shared/territory.ts';
import { useLocale } from '../../i18n/index.ts';
import { dutyText, maskPhone } from './format.ts';

/** Responsible people of a grid: name, duty and masked phone. */
export function PeopleList({ people }: { people: ResponsiblePerson[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (people.length === 0) return <Typography.Text type="secondary">{t('region.noPeople')}</Typography.Text>;
  return (
    <Flex vertical gap={6} data-testid="people-list">
      {people.map((person) => (
        <Flex key={`${person.userId}-${person.duty}`} align="center" gap={8} wrap>
          <UserOutlined />
          <Typography.Text strong>{person.name}</Typography.Text>
          <Tag color={person.duty === 'gridWorker' ? 'blue' : 'purple'}>{dutyText(person.duty, locale)}</Tag>
          {person.phone ? (
            <Typography.Text type="secondary">
              <PhoneOutlined /> {maskPhone(person.phone)}
            </Typography.Text>
          ) : null}
        </Flex>
      ))}
    </Flex>
  );
}
