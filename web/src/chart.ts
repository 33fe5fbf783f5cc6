// Line charts (uPlot) that follow their box's width. The canvas is hidden from screen readers:
// every chart has a table with the same figures beside it.
import uPlot from "uplot";

export interface Line {
  label: string;
  values: number[];
  color: string;
}

const HEIGHT = 220;

export class Chart {
  private plot?: uPlot;
  private readonly resize = new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (this.plot && width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: HEIGHT });
  });

  /** Draws `lines` over `x` (unix seconds) into `host`, replacing what was there. */
  draw(host: HTMLElement | null, x: number[], lines: Line[], format: (value: number) => string = String): void {
    this.destroy();
    if (!host || x.length === 0) return;
    const width = Math.max(200, Math.min(720, host.clientWidth || 600));
    this.plot = new uPlot(
      {
        width,
        height: HEIGHT,
        series: [
          {},
          ...lines.map((line) => ({ label: line.label, stroke: line.color, fill: `${line.color}26`, width: 2, points: { size: 8 } })),
        ],
        axes: [{}, { values: (_u: uPlot, ticks: number[]) => ticks.map(format) }],
        legend: { show: lines.length > 1 },
        cursor: { show: false },
      },
      [x, ...lines.map((line) => line.values)],
      host,
    );
    this.resize.observe(host);
    host.querySelector("canvas")?.setAttribute("aria-hidden", "true");
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }
}
