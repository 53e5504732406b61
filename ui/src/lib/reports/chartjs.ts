//! Chart.js for ReportChart, bundled (nothing remote) and tree-shaken: only the bar and line charts,
//! their two scales, the legend and the tooltip are registered. Loaded on first use (charts.ts), so
//! it rides in its own chunk and never holds up the window's first paint.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from "chart.js";
import { CHART_FONT } from "./reports";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);
Chart.defaults.font.family = CHART_FONT;
Chart.defaults.color = "#555d64";

export { Chart };
