//! Loads chartjs.ts once, on the first chart drawn.
type ChartJs = typeof import("./chartjs");
let lib: Promise<ChartJs> | null = null;

export function loadChartJs(): Promise<ChartJs> {
  lib ??= import("./chartjs");
  return lib;
}
