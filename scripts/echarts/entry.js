// The parts of ECharts the dashboard draws with (dashboard/static/dashboard/dashboard.js):
// line (balance by month), bar (days past due, product, officer) and pie (five-tier
// classification) charts, the grid, tooltip and legend components, and the SVG renderer
// (prints sharply). The full echarts.min.js also carries maps, 3-D-like series, the canvas
// renderer, data zoom, toolbox and more: about twice the code to download, parse and compile
// on every cold dashboard load. Exposed as window.echarts, like the full build.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);
window.echarts = echarts;
