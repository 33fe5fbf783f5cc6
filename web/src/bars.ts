// Horizontal bar charts drawn as SVG: sizes are attributes, not inline styles, so the strict CSP
// has nothing to refuse. Hidden from screen readers: every chart has a table with the same figures.
import { html, svg } from "lit";

export interface Bar {
  label: string;
  value: number;
  /** The value as shown at the end of its bar. */
  text: string;
}

const ROW = 28;
const LABEL = 250;
const LENGTH = 260;

/** One bar per item, scaled to the largest; a long label is shortened with an ellipsis. */
export function bars(items: Bar[]) {
  const max = Math.max(1, ...items.map((item) => item.value));
  const short = (label: string) => (label.length > 29 ? `${label.slice(0, 28)}…` : label);
  return html`<svg class="bars" viewBox="0 0 600 ${items.length * ROW}" aria-hidden="true" focusable="false">
    ${items.map((item, i) => {
      const length = Math.max(2, (LENGTH * item.value) / max);
      return svg`<text x="0" y=${i * ROW + 18}>${short(item.label)}</text>
        <rect x=${LABEL} y=${i * ROW + 5} width=${length} height="18" rx="3"></rect>
        <text x=${LABEL + length + 6} y=${i * ROW + 18}>${item.text}</text>`;
    })}
  </svg>`;
}
