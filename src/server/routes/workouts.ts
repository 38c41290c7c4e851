import type { FastifyInstance } from 'fastify';
import type { WorkoutDetailResponse, WorkoutsResponse } from '../../api/types.ts';
import { getWorkout } from '../../db/queries/getWorkout.ts';
import { getWorkouts } from '../../db/queries/getWorkouts.ts';
import { addDays, daysBetween } from '../../insights/days.ts';
import { NotFoundError } from '../errors.ts';
import {
  dayCount,
  documentIdParamSchema,
  type RangeQuery,
  rangeQuerySchema,
  resolveRange,
} from '../ranges.ts';
import { type ApiContext, errorResponses, jsonResponse, userAndOverview } from './context.ts';

export async function registerWorkoutRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: RangeQuery }>(
    '/api/workouts',
    {
      schema: {
        tags: ['trends'],
        summary: 'Workouts in a range, with weekly totals and totals per activity',
        querystring: rangeQuerySchema,
        response: { 200: jsonResponse('Workouts'), ...errorResponses },
      },
    },
    async (request): Promise<WorkoutsResponse> => {
      const { user, overview } = await userAndOverview(ctx, request);
      const range = resolveRange(request.query, overview, ctx.today());
      const workouts = await getWorkouts(ctx.db, user.id, range.from, range.to);
      const weeks = new Map<string, { count: number; minutes: number; calories: number }>();
      // Every week of the range appears, so quiet weeks show as zero bars.
      const firstDow = (new Date(`${range.from}T00:00:00Z`).getUTCDay() + 6) % 7;
      // The number of weeks is fixed before the loop (comparing day strings would not end
      // past year 9999, where '10000-01-03' sorts before '9999-12-31').
      const firstWeek = addDays(range.from, -firstDow);
      const weekCount = Math.ceil((daysBetween(firstWeek, range.to) + 1) / 7);
      for (let i = 0; i < Math.min(weekCount, Math.ceil(dayCount(range) / 7) + 1); i++) {
        weeks.set(addDays(firstWeek, i * 7), { count: 0, minutes: 0, calories: 0 });
      }
      const byActivity = new Map<string, { count: number; minutes: number }>();
      for (const wo of workouts) {
        const dow = (new Date(`${wo.day}T00:00:00Z`).getUTCDay() + 6) % 7;
        const week = weeks.get(addDays(wo.day, -dow));
        const minutes = wo.durationSeconds / 60;
        if (week) {
          week.count += 1;
          week.minutes += minutes;
          week.calories += wo.calories ?? 0;
        }
        const a = byActivity.get(wo.activity) ?? { count: 0, minutes: 0 };
        a.count += 1;
        a.minutes += minutes;
        byActivity.set(wo.activity, a);
      }
      return {
        range,
        workouts,
        weeks: [...weeks.entries()].map(([week, v]) => ({
          week,
          count: v.count,
          minutes: Math.round(v.minutes),
          calories: Math.round(v.calories),
        })),
        byActivity: [...byActivity.entries()]
          .map(([activity, v]) => ({ activity, count: v.count, minutes: Math.round(v.minutes) }))
          .sort((a, b) => b.minutes - a.minutes),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/workouts/:id',
    {
      schema: {
        tags: ['trends'],
        summary: 'One of your workouts, with the heart rate stored over it',
        params: documentIdParamSchema,
        response: { 200: jsonResponse('The workout and its heart rate'), ...errorResponses },
      },
    },
    async (request): Promise<WorkoutDetailResponse> => {
      const user = ctx.users.require(request);
      const detail = await getWorkout(ctx.db, user.id, request.params.id);
      if (!detail) throw new NotFoundError('You have no workout with that id.');
      return detail;
    },
  );
}
