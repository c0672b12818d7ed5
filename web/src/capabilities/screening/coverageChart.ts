// ECharts, loaded on demand by the coverage section (it is most of the bundle's weight), with
// only the chart types and components used here. SVG rendering: crisp at any zoom, and the
// text stays text.
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartHandle {
  update: (option: ChartOption) => void;
  dispose: () => void;
}

// ECharts measures text with the font family it is given: pass the page's own, so that
// legends are laid out with the widths they are drawn with.
function withPageFont(option: ChartOption): ChartOption {
  const fontFamily = getComputedStyle(document.body).fontFamily;
  return { ...option, textStyle: { fontFamily, ...((option.textStyle as object) ?? {}) } };
}

export function mountChart(element: HTMLElement, option: ChartOption): ChartHandle {
  const chart = echarts.init(element, undefined, { renderer: 'svg' });
  chart.setOption(withPageFont(option));
  const observer = new ResizeObserver(() => chart.resize());
  observer.observe(element);
  return {
    update: (next) => chart.setOption(withPageFont(next), { notMerge: true }),
    dispose: () => {
      observer.disconnect();
      chart.dispose();
    },
  };
}
