import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  PieChart,
  type PieSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the dashboard draws: the console bundle takes them only with the lazily loaded dashboard.
use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

function apply(instance: ECharts, value: ChartOption) {
  instance.setOption({ backgroundColor: 'transparent', ...value, animation: false } as ChartOption, {
    notMerge: true,
  });
}

/** One ECharts chart that follows its box's size; `onClick` gets the clicked item's data index and name. */
export function EChart({
  option,
  height,
  dark = false,
  onClick,
  testId,
}: {
  option: ChartOption;
  height: number | string;
  dark?: boolean;
  onClick?: (item: { dataIndex: number; name: string }) => void;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  const optionRef = useRef(option);
  optionRef.current = option;

  useEffect(() => {
    if (!box.current) return;
    const instance = init(box.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = instance;
    // A new theme means a new instance: it draws the current option at once.
    apply(instance, optionRef.current);
    instance.on('click', (event) => clickRef.current?.({ dataIndex: event.dataIndex, name: event.name }));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [dark]);

  useEffect(() => {
    if (chart.current) apply(chart.current, option);
  }, [option]);

  return <div ref={box} data-testid={testId} className="gg-echart" style={{ width: '100%', height }} />;
}
