/**
 * Experiment subjects: 'tag:<code>' (custom tags 'tag:custom:<name>') and 'workout:<activity>'.
 * Legacy tag words ('alcohol') and enhanced codes ('tag_generic_alcohol') share one key, so a
 * history that spans Oura's switch to enhanced tags counts as one tag.
 */

export function tagSubject(code: string, customName: string | null): string {
  if (code === 'custom') return `tag:custom:${customName ?? 'Custom'}`;
  return `tag:${code.startsWith('tag_') ? code : `tag_generic_${code}`}`;
}

export function workoutSubject(activity: string): string {
  return `workout:${activity}`;
}

const capitalise = (s: string) => (s ? s[0]?.toUpperCase() + s.slice(1) : s);

/** 'tag:tag_generic_late_meal' → 'Late meal'; 'workout:strength_training' → 'Strength training workout'. */
export function subjectLabel(subject: string): string {
  if (subject.startsWith('tag:custom:')) return subject.slice('tag:custom:'.length);
  if (subject.startsWith('tag:')) {
    const code = subject.slice(4).replace(/^tag_(generic_)?/, '');
    return capitalise(code.replace(/_/g, ' '));
  }
  if (subject.startsWith('workout:')) {
    return `${capitalise(subject.slice(8).replace(/_/g, ' '))} workout`;
  }
  return subject;
}
