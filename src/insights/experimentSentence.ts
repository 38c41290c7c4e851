import type { MetricInfo } from '../api/types.ts';
import { type ExperimentStats, MIN_GROUP_NIGHTS } from './experiment.ts';
import { formatAmount, formatSigned } from './sentences.ts';

/** The plain sentence under an experiment result; never claims a cause. */
export function experimentSentence(
  metric: MetricInfo,
  exposedLabel: string,
  s: ExperimentStats,
): string {
  // 'Average HRV' → 'average HRV', but 'REM sleep' stays as it is.
  const name = /^[A-Z][a-z]/.test(metric.label)
    ? metric.label.charAt(0).toLowerCase() + metric.label.slice(1)
    : metric.label;
  if (s.verdict === 'too_few') {
    return (
      `No evidence either way: ${s.nExposed} ${exposedLabel} and ${s.nOther} other nights with ` +
      `${name}; at least ${MIN_GROUP_NIGHTS} in each group are needed.`
    );
  }
  const d = s.difference ?? 0;
  const dir = d >= 0 ? 'higher' : 'lower';
  const rel =
    s.relative !== null && metric.unit !== 'score' && metric.unit !== 'percent'
      ? ` (${Math.abs(s.relative * 100).toFixed(0)} %)`
      : '';
  const ci = `95 % interval ${formatSigned(metric.unit, s.lower ?? 0)} to ${formatSigned(metric.unit, s.upper ?? 0)}`;
  const core =
    `On the ${s.nExposed} ${exposedLabel}, ${name} was ${formatAmount(metric.unit, d)}${rel} ${dir} ` +
    `than on the ${s.nOther} other nights`;
  if (s.verdict === 'no_evidence') {
    return `No evidence either way: ${core}, but the ${ci} includes zero.`;
  }
  return `${core} (${ci}). An association in your data, not proof that one causes the other.`;
}
