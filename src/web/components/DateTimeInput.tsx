import { ConfigProvider, DatePicker, type DatePickerProps, type ThemeConfig } from 'antd';

const PHONE_PICKER: ThemeConfig = { components: { DatePicker: { cellWidth: 28, timeColumnWidth: 44 } } };

/**
 * A date and a time. Narrower cells than antd's default, so the date and time panels fit side by side on a
 * 360 px phone; and no typing there: the picker's panels are easier with a thumb than a keyboard. Its own module,
 * loaded with the first form that asks for a date-time (AttributeFields.tsx): the picker is large.
 */
export default function DateTimeInput(props: DatePickerProps) {
  return (
    <ConfigProvider theme={PHONE_PICKER}>
      <DatePicker showTime format="YYYY-MM-DD HH:mm" inputReadOnly style={{ width: '100%' }} {...props} />
    </ConfigProvider>
  );
}
