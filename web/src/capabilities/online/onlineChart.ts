// ECharts for the online page's movement path, loaded on demand with only what it draws: a line
// (step) chart of the city over time, as SVG.
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function mountChart(el: HTMLElement, option: ChartOption): { dispose: () => void } {
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  chart.setOption(option);
  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);
  return {
    dispose: () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    },
  };
}
