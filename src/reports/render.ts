import type { UnitKind, WeekMetric, WeekReport } from '../api/types.ts';

/** The weekly report as Markdown or a standalone HTML page (for `snowtorch report --week`). */

function clock(minutes: number | null): string {
  if (minutes === null) return '–';
  const w = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(w / 60)).padStart(2, '0')}:${String(w % 60).padStart(2, '0')}`;
}

function hm(minutes: number): string {
  const m = Math.round(Math.abs(minutes));
  const s = minutes < 0 ? '−' : '';
  return m >= 60 ? `${s}${Math.floor(m / 60)} h ${m % 60} min` : `${s}${m} min`;
}

function value(unit: UnitKind, v: number | null, signed = false): string {
  if (v === null) return '–';
  const sign = signed && v > 0 ? '+' : '';
  switch (unit) {
    case 'seconds':
      return `${sign}${hm(v / 60)}`;
    case 'bpm':
      return `${sign}${v.toFixed(1)} bpm`.replace('-', '−');
    case 'ms':
      return `${sign}${v.toFixed(0)} ms`.replace('-', '−');
    case 'percent':
      return `${sign}${v.toFixed(1)} %`.replace('-', '−');
    case 'breaths_per_min':
      return `${sign}${v.toFixed(1)}/min`.replace('-', '−');
    case 'celsius_delta':
      return `${sign}${v.toFixed(2)} °C`.replace('-', '−');
    default:
      return `${sign}${v.toFixed(0)}`.replace('-', '−');
  }
}

/** "+12 min (95 % −3 to +27), 7 vs 58 nights", or why no comparison is made. */
export function describeDelta(m: WeekMetric): string {
  if (m.delta === null || m.deltaInterval === null)
    return `not compared (${m.n} nights this week, ${m.baselineN} in the baseline)`;
  const [lo, hi] = m.deltaInterval;
  const clear = lo > 0 || hi < 0;
  return (
    `${value(m.unit, m.delta, true)} (95 % ${value(m.unit, lo, true)} to ${value(m.unit, hi, true)})` +
    `${clear ? '' : ', within the usual spread'}`
  );
}

interface Section {
  title: string;
  lines: string[];
  table?: { head: string[]; rows: string[][] };
}

function sections(r: WeekReport): Section[] {
  const c = r.regularity.chronotype;
  const sri = r.regularity.sri;
  return [
    {
      title: 'Averages against your baseline',
      lines: [`${r.nights} nights recorded. Baseline: the 60 nights before the week (mean ± SD).`],
      table: {
        head: ['Measure', 'This week', 'Baseline', 'Difference', 'n'],
        rows: r.metrics.map((m) => [
          m.label,
          value(m.unit, m.mean),
          m.baseline === null
            ? '–'
            : `${value(m.unit, m.baseline)} ± ${value(m.unit, m.baselineSd)}`,
          describeDelta(m),
          `${m.n} / ${m.baselineN}`,
        ]),
      },
    },
    {
      title: 'Best and worst night',
      lines: [
        r.best && r.worst
          ? `Best: ${r.best.day} (sleep score ${r.best.score}). Worst: ${r.worst.day} (sleep score ${r.worst.score}).`
          : 'No sleep scores this week.',
      ],
    },
    { title: 'Sleep debt', lines: [r.debt.message] },
    {
      title: 'Regularity',
      lines: [
        sri.sri === null
          ? `Sleep Regularity Index: not enough recorded days (${sri.pairs} day pairs).`
          : `Sleep Regularity Index ${sri.sri.toFixed(0)} over the week` +
            (sri.interval
              ? ` (95 % ${sri.interval[0].toFixed(0)} to ${sri.interval[1].toFixed(0)}, ${sri.pairs} day pairs).`
              : '.'),
        `Over the last four weeks: ${c.message}` +
          (c.msfsc !== null ? ` Chronotype (MSFsc): mid-sleep ${clock(c.msfsc)}.` : ''),
      ],
    },
    {
      title: 'Body signals',
      lines: r.flags.length
        ? r.flags.map((f) => `${f.day}: ${f.summary}`)
        : ['No night was flagged: no several signals moved together.'],
    },
    {
      title: 'Tags this week',
      lines: r.tags.length
        ? r.tags.map(
            (t) =>
              `${t.tag}: ${t.days.length} day${t.days.length > 1 ? 's' : ''} (${t.days.join(', ')})`,
          )
        : ['No tags logged.'],
    },
  ];
}

export function weekReportMarkdown(r: WeekReport): string {
  const out = [`# Week ${r.from} to ${r.to} (${r.user})`, ''];
  for (const s of sections(r)) {
    out.push(`## ${s.title}`, '');
    for (const l of s.lines)
      out.push(s.title === 'Body signals' || s.title === 'Tags this week' ? `- ${l}` : l);
    if (s.table) {
      out.push(
        '',
        `| ${s.table.head.join(' | ')} |`,
        `|${s.table.head.map(() => '---').join('|')}|`,
      );
      for (const row of s.table.rows)
        out.push(`| ${row.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function weekReportHtml(r: WeekReport): string {
  const body: string[] = [`<h1>Week ${esc(r.from)} to ${esc(r.to)} (${esc(r.user)})</h1>`];
  for (const s of sections(r)) {
    body.push(`<section><h2>${esc(s.title)}</h2>`);
    const list = s.title === 'Body signals' || s.title === 'Tags this week';
    if (list) body.push(`<ul>${s.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`);
    else for (const l of s.lines) body.push(`<p>${esc(l)}</p>`);
    if (s.table) {
      body.push(
        `<table><thead><tr>${s.table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
          s.table.rows
            .map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
            .join('') +
          '</tbody></table>',
      );
    }
    body.push('</section>');
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Snowtorch week ${esc(r.from)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d0d7de}
h2{margin-top:1.6rem}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}
