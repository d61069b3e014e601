import { Alert, App, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_KEY_FIGURES } from '../../../shared/dashboard.ts';
import { INDICATOR_KEYS, type IndicatorKey } from '../../../shared/indicators.ts';
import { errorText } from '../../api/client.ts';
import { useLocale } from '../../i18n/index.ts';
import { useSaveKeyFigures } from './api.ts';
import { indicatorFormula, indicatorLabel } from './figures.ts';

/** An administrator's choice of the key figures pinned on the dashboard of their scope. */
export function KeyFiguresModal({ initial, onClose }: { initial: IndicatorKey[]; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<IndicatorKey[]>(initial);
  const save = useSaveKeyFigures();
  return (
    <Modal
      open
      title={t('evaluation.dashboard.chooseKeyFigures')}
      onCancel={onClose}
      okButtonProps={{ loading: save.isPending }}
      onOk={() =>
        save.mutate(
          { keyFigures: chosen },
          {
            onSuccess: () => {
              void message.success(t('evaluation.dashboard.keyFiguresSaved'));
              onClose();
            },
          },
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('evaluation.dashboard.keyFiguresHint')}</Typography.Paragraph>
      <Select<IndicatorKey[]>
        mode="multiple"
        data-testid="key-figures-select"
        style={{ width: '100%' }}
        value={chosen}
        maxCount={MAX_KEY_FIGURES}
        onChange={setChosen}
        options={INDICATOR_KEYS.map((k) => ({
          value: k,
          label: indicatorLabel(k, locale),
          title: indicatorFormula(k, locale),
        }))}
      />
      {save.isError ? (
        <Alert type="error" showIcon title={errorText(save.error)} style={{ marginTop: 12 }} />
      ) : null}
    </Modal>
  );
}
