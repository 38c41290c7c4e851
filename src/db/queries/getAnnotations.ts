import type { AnnotationView } from '../../api/types.ts';
import { isoWithOffset } from '../../insights/localTime.ts';
import { subjectLabel, tagSubject, workoutSubject } from '../../insights/subjects.ts';
import type { Db } from '../database.ts';
import { selectJsonRows } from './jsonRows.ts';

/**
 * Enhanced tags, legacy tags and workouts of the days in [from, to], in time order, as chart
 * annotations. Timestamps keep their recorded UTC offset (local clock of where they happened).
 */
export async function getAnnotations(
  db: Db,
  userId: number,
  from: string,
  to: string,
): Promise<AnnotationView[]> {
  const [enhanced, legacy, workouts] = await Promise.all([
    selectJsonRows<{
      start_day: string;
      start_time: string;
      end_time: string | null;
      utc_offset_minutes: number | null;
      tag_type_code: string | null;
      custom_name: string | null;
      comment: string | null;
    }>(
      db,
      db
        .selectFrom('enhanced_tag')
        .select([
          'start_day',
          'start_time',
          'end_time',
          'utc_offset_minutes',
          'tag_type_code',
          'custom_name',
          'comment',
        ])
        .where('user_id', '=', userId)
        .where('start_day', '>=', from)
        .where('start_day', '<=', to)
        .orderBy('start_time'),
    ),
    selectJsonRows<{
      day: string;
      timestamp: string | null;
      utc_offset_minutes: number | null;
      text: string | null;
      tags: string[];
    }>(
      db,
      db
        .selectFrom('tag')
        .select(['day', 'timestamp', 'utc_offset_minutes', 'text', 'tags'])
        .where('user_id', '=', userId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .orderBy('day'),
    ),
    selectJsonRows<{
      day: string;
      activity: string | null;
      intensity: string | null;
      calories: number | null;
      start_datetime: string;
      end_datetime: string;
      utc_offset_minutes: number | null;
    }>(
      db,
      db
        .selectFrom('workout')
        .select([
          'day',
          'activity',
          'intensity',
          'calories',
          'start_datetime',
          'end_datetime',
          'utc_offset_minutes',
        ])
        .where('user_id', '=', userId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .orderBy('start_datetime'),
    ),
  ]);
  const local = (iso: string | null, offset: number | null) =>
    iso === null ? null : isoWithOffset(new Date(iso), offset ?? 0);
  const out: AnnotationView[] = [];
  for (const t of enhanced) {
    const subject = tagSubject(t.tag_type_code ?? 'custom', t.custom_name);
    out.push({
      day: t.start_day,
      kind: 'tag',
      subject,
      label: subjectLabel(subject),
      start: local(t.start_time, t.utc_offset_minutes),
      end: local(t.end_time, t.utc_offset_minutes),
      text: t.comment,
    });
  }
  for (const t of legacy) {
    for (const code of t.tags) {
      const subject = tagSubject(code, null);
      out.push({
        day: t.day,
        kind: 'tag',
        subject,
        label: subjectLabel(subject),
        start: local(t.timestamp, t.utc_offset_minutes),
        end: null,
        text: t.text,
      });
    }
  }
  for (const w of workouts) {
    const subject = workoutSubject(w.activity ?? 'other');
    const details = [w.intensity, w.calories === null ? null : `${Math.round(w.calories)} kcal`]
      .filter((x) => x)
      .join(', ');
    out.push({
      day: w.day,
      kind: 'workout',
      subject,
      label: subjectLabel(subject),
      start: local(w.start_datetime, w.utc_offset_minutes),
      end: local(w.end_datetime, w.utc_offset_minutes),
      text: details || null,
    });
  }
  return out.sort((a, b) =>
    a.day === b.day ? (a.start ?? '').localeCompare(b.start ?? '') : a.day < b.day ? -1 : 1,
  );
}
