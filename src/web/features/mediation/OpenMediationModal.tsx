import { Col, Form, Input, InputNumber, Modal, message, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  DISPUTE_TYPE_LABELS,
  DISPUTE_TYPES,
  MEDIATION_SOURCE_LABELS,
  MEDIATION_SOURCES,
  PROCEDURE_LABELS,
  PROCEDURES,
} from '../../../shared/mediation.ts';
import { errorText } from '../../api/client.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { useOpenMediation } from './api.ts';
import { label } from './text.ts';

/** Opens a mediation from a dispute case (its id) or from an application at the committee's desk (a village). */
export function OpenMediationModal({ onClose }: { onClose: (id?: number) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const open = useOpenMediation();
  const submit = async () => {
    const v = await form.validateFields();
    const party = (side: 'applicant' | 'respondent') => ({
      side,
      name: v[side].name,
      idNumber: v[side].idNumber || null,
      phone: v[side].phone || null,
      address: v[side].address || null,
    });
    try {
      const created = await open.mutateAsync({
        ...(v.caseId ? { caseId: v.caseId } : { regionCode: v.regionCode }),
        disputeType: v.disputeType,
        source: v.source,
        procedure: v.procedure,
        summary: v.summary,
        parties: [party('applicant'), party('respondent')],
      });
      onClose(created.id);
    } catch (error) {
      void message.error(errorText(error));
    }
  };
  const options = <T extends string>(values: readonly T[], labels: Record<T, { zh: string; en: string }>) =>
    values.map((value) => ({ value, label: label(labels[value], i18n.language) }));
  const partyFields = (side: 'applicant' | 'respondent') => (
    <>
      <Col xs={24} md={6}>
        <Form.Item
          name={[side, 'name']}
          label={`${t(`mediation.form.${side}`)}·${t('mediation.form.name')}`}
          rules={[{ required: true }]}
        >
          <Input data-testid={`${side}-name`} />
        </Form.Item>
      </Col>
      <Col xs={24} md={6}>
        <Form.Item name={[side, 'idNumber']} label={t('mediation.form.idNumber')}>
          <Input />
        </Form.Item>
      </Col>
      <Col xs={24} md={5}>
        <Form.Item name={[side, 'phone']} label={t('mediation.form.phone')}>
          <Input />
        </Form.Item>
      </Col>
      <Col xs={24} md={7}>
        <Form.Item name={[side, 'address']} label={t('mediation.form.address')}>
          <Input />
        </Form.Item>
      </Col>
    </>
  );
  return (
    <Modal
      open
      width={860}
      title={t('mediation.open')}
      onCancel={() => onClose()}
      onOk={() => void submit()}
      okText={t('mediation.actions.save')}
      confirmLoading={open.isPending}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ source: 'application', procedure: 'standard', disputeType: 'neighbour' }}
      >
        <Row gutter={8}>
          <Col xs={24} md={8}>
            <Form.Item name="caseId" label={t('mediation.form.caseId')}>
              <InputNumber style={{ width: '100%' }} min={1} data-testid="open-case-id" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="regionCode" label={t('mediation.form.regionCode')}>
              <RegionPicker id="open-region" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="disputeType" label={t('mediation.form.disputeType')}>
              <Select options={options(DISPUTE_TYPES, DISPUTE_TYPE_LABELS)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="source" label={t('mediation.form.source')}>
              <Select options={options(MEDIATION_SOURCES, MEDIATION_SOURCE_LABELS)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="procedure" label={t('mediation.form.procedure')}>
              <Select options={options(PROCEDURES, PROCEDURE_LABELS)} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="summary" label={t('mediation.form.summary')} rules={[{ required: true }]}>
              <Input.TextArea rows={2} data-testid="open-summary" />
            </Form.Item>
          </Col>
          {partyFields('applicant')}
          {partyFields('respondent')}
        </Row>
      </Form>
    </Modal>
  );
}
