// ECharts for the dashboards, loaded on demand with only what they draw: bar and line charts
// with a legend, as SVG (text stays text, crisp at any zoom).
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartHandle {
  update: (option: ChartOption) => void;
  dispose: () => void;
}

export function mountChart(element: HTMLElement, option: ChartOption): ChartHandle {
  const chart = echarts.init(element, undefined, { renderer: 'svg' });
  const fontFamily = getComputedStyle(document.body).fontFamily;
  const withFont = (o: ChartOption): ChartOption => ({ ...o, textStyle: { fontFamily } });
  chart.setOption(withFont(option));
  const observer = new ResizeObserver(() => chart.resize());
  observer.observe(element);
  return {
    update: (next) => chart.setOption(withFont(next), { notMerge: true }),
    dispose: () => {
      observer.disconnect();
      chart.dispose();
    },
  };
}
