import type uPlot from 'uplot';
import { h } from '../dom.ts';

/**
 * A tooltip at the cursor (the x value, then each series' value with its unit) instead of a
 * legend row of dashes, and the same values from the keyboard: the chart takes focus, the
 * arrow keys step from point to point (night to night on day charts), Home and End jump to the
 * ends, and a live region reads each value out.
 */
export interface TooltipRow {
  label: string;
  color: string;
  value: string;
}

export interface TooltipContent {
  title: string;
  rows: TooltipRow[];
}

export function tooltipPlugin(
  describe: (u: uPlot, idx: number) => TooltipContent | null,
  live: HTMLElement,
): uPlot.Plugin {
  const tip = h('div', { class: 'chart-tip', 'aria-hidden': 'true', hidden: true });
  let fromKeyboard = false;

  const show = (u: uPlot) => {
    const idx = u.cursor.idx;
    const content = idx === null || idx === undefined ? null : describe(u, idx);
    if (!content || u.cursor.left === undefined || u.cursor.left < 0) {
      tip.hidden = true;
      return;
    }
    tip.replaceChildren(
      h('strong', {}, content.title),
      ...content.rows.map((r) =>
        h(
          'div',
          { class: 'tip-row' },
          h('span', { class: 'swatch', style: `background:${r.color}` }),
          `${r.label} `,
          h('b', {}, r.value),
        ),
      ),
    );
    tip.hidden = false;
    const left = u.cursor.left ?? 0;
    const top = u.cursor.top ?? 0;
    const width = u.over.clientWidth;
    const tipW = tip.offsetWidth;
    // Beside the cursor, flipped to its left near the right edge; never outside the plot.
    const x = left + 12 + tipW > width ? Math.max(0, left - 12 - tipW) : left + 12;
    const y = Math.min(Math.max(0, top - tip.offsetHeight - 8), u.over.clientHeight);
    tip.style.transform = `translate(${Math.round(x)}px, ${Math.round(Math.max(0, y))}px)`;
    if (fromKeyboard) {
      live.textContent = `${content.title}: ${content.rows.map((r) => `${r.label} ${r.value}`).join(', ')}`;
    }
  };

  /** Indexes with a value in any drawn series: the points the arrow keys visit. */
  const stops = (u: uPlot): number[] => {
    const out: number[] = [];
    const n = u.data[0]?.length ?? 0;
    for (let i = 0; i < n; i++) {
      for (let s = 1; s < u.data.length; s++) {
        const v = u.data[s]?.[i];
        if (v !== null && v !== undefined && u.series[s]?.label !== undefined) {
          out.push(i);
          break;
        }
      }
    }
    return out;
  };

  const moveTo = (u: uPlot, idx: number) => {
    const x = u.data[0]?.[idx];
    if (x === undefined) return;
    let y = u.over.clientHeight / 2;
    for (let s = 1; s < u.data.length; s++) {
      const v = u.data[s]?.[idx];
      if (v !== null && v !== undefined) {
        y = u.valToPos(v, u.series[s]?.scale ?? 'y');
        break;
      }
    }
    u.setCursor({ left: u.valToPos(x, 'x'), top: y });
  };

  return {
    hooks: {
      init: (u) => {
        u.over.append(tip);
        u.root.tabIndex = 0;
        u.root.addEventListener('keydown', (event) => {
          const keys = ['ArrowLeft', 'ArrowRight', 'Home', 'End'];
          if (!keys.includes(event.key)) return;
          event.preventDefault();
          event.stopPropagation();
          const list = stops(u);
          if (list.length === 0) return;
          const current = u.cursor.idx ?? null;
          const at = current === null ? -1 : list.findIndex((i) => i >= current);
          let next: number;
          if (event.key === 'Home') next = 0;
          else if (event.key === 'End' || at === -1) next = list.length - 1;
          else if (event.key === 'ArrowLeft') next = Math.max(0, at - 1);
          else next = Math.min(list.length - 1, list[at] === current ? at + 1 : at);
          fromKeyboard = true;
          moveTo(u, list[next] ?? 0);
        });
        u.root.addEventListener('focus', () => {
          const list = stops(u);
          if (u.cursor.idx === null || u.cursor.idx === undefined) {
            fromKeyboard = true;
            moveTo(u, list[list.length - 1] ?? 0);
          }
        });
        u.root.addEventListener('blur', () => {
          fromKeyboard = false;
          u.setCursor({ left: -10, top: -10 });
          tip.hidden = true;
        });
        u.over.addEventListener('mousemove', () => {
          fromKeyboard = false;
        });
      },
      setCursor: [show],
    },
  };
}
