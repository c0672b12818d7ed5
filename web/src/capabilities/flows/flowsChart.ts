// ECharts for the flows page, loaded on demand with only what the page draws: the world map
// (a geo component with a map series for the domestic cases and a lines series for the
// corridors), line and stacked bar charts. The map is drawn on a canvas (a few thousand
// polygons redraw faster there when it is panned and zoomed); the other charts as SVG, crisp at
// any zoom and with text that stays text, as on the screening page.
import { BarChart, LineChart, LinesChart, MapChart } from 'echarts/charts';
import {
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { WORLD_MAP, worldGeoJson } from './world';

export { WORLD_MAP, countryPoints, setCountryCodes } from './world';

echarts.use([
  BarChart,
  LineChart,
  LinesChart,
  MapChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartHandle {
  update: (option: ChartOption) => void;
  dispose: () => void;
}

let registered: object | null = null;

/** Registers the world map (world-atlas, bundled) under WORLD_MAP, again only when its country
 * names changed (setCountryCodes). */
export function registerWorld(): void {
  const geo = worldGeoJson();
  if (registered === geo) return;
  echarts.registerMap(WORLD_MAP, geo as unknown as Parameters<typeof echarts.registerMap>[1]);
  registered = geo;
}

// ECharts measures text with the font family it is given: pass the page's own.
function withPageFont(option: ChartOption): ChartOption {
  const fontFamily = getComputedStyle(document.body).fontFamily;
  return { ...option, textStyle: { fontFamily, ...((option.textStyle as object) ?? {}) } };
}

export function mountChart(element: HTMLElement, option: ChartOption, renderer: 'svg' | 'canvas'): ChartHandle {
  const chart = echarts.init(element, undefined, { renderer });
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
