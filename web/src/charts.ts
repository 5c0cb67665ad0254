// Apache ECharts, with only the charts and components the dashboard draws.

import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  PieChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type Chart = echarts.ECharts;
export type ChartOption = echarts.EChartsCoreOption;

/** Colours of the coverage statuses and tiers, the same in every chart. */
export const colors = {
  OWN: '#c0392b',
  JOINT: '#e67e22',
  WORK: '#f1c40f',
  UNCOVERED: '#95a5a6',
  rate: '#2c3e50',
  GOLD: '#d4a017',
  SILVER: '#9ea7b3',
  BRONZE: '#b87333',
  WEAK: '#5d6d7e',
} as const;

/** A chart in el that follows el's size; the chart is made on first use. */
export class ChartBox {
  private chart?: Chart;
  constructor(readonly el: HTMLElement) {}

  /** Draws the option, replacing what was drawn before. */
  draw(option: ChartOption): Chart {
    if (!this.chart) {
      this.chart = echarts.init(this.el, null, { locale: 'ZH', renderer: 'canvas' });
      new ResizeObserver(() => this.chart?.resize()).observe(this.el);
    }
    this.chart.setOption(option, { notMerge: true });
    this.chart.resize();
    return this.chart;
  }
}
