import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  calendarDaySchema,
  calendarYearLoadedSchema,
  calendarYearSchema,
  dueAnswerSchema,
  dueQuerySchema,
  workingHoursSchema,
  workingHoursSetSchema,
} from '../../../shared/calendar.ts';
import { requireActor } from '../../http/session.plugin.ts';
import type { CalendarService } from './calendar.service.ts';

const tags = ['calendar'];
// Who may call: anyone signed in reads the calendar; every village's deadlines run on it, so changing it is
// for an administrator of the whole deployment (territory/deployment.policy.ts).
const WHOLE_DEPLOYMENT =
  'Administrator whose scope holds every grid (the whole deployment): a village administrator gets 403.';

export const calendarRoutes =
  (calendar: CalendarService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/calendar/due',
      {
        schema: {
          tags,
          summary: 'The deadline calculator: when a step starting at `start` with this time limit is due',
          description:
            'Counted on the stored calendar exactly as case steps are. `{ due: null, beyondCalendar: true }` ' +
            'when the deadline reaches a year whose schedule is not loaded.',
          querystring: dueQuerySchema,
          response: { 200: dueAnswerSchema },
        },
      },
      async (request) => {
        requireActor(request);
        return calendar.calculateDue(request.query);
      },
    );

    app.get(
      '/calendar/:year',
      {
        schema: {
          tags,
          summary: 'The holidays and make-up workdays of a year, the working hours and the years covered',
          params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
          response: { 200: calendarYearSchema },
        },
      },
      async (request) => {
        requireActor(request);
        return calendar.getYear(request.params.year);
      },
    );

    app.put(
      '/calendar/:year',
      {
        schema: {
          tags,
          summary: "Load a year's official schedule (weekday holidays and weekend make-up workdays)",
          description: `${WHOLE_DEPLOYMENT} Open case steps flagged beyond the calendar, or whose deadline runs across a changed day, get their due time again: \`moved\` counts those that moved.`,
          params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
          body: z.object({ days: z.array(calendarDaySchema).max(366) }),
          response: { 200: calendarYearLoadedSchema },
        },
      },
      async (request) =>
        calendar.loadYear(requireActor(request), { year: request.params.year, days: request.body.days }),
    );

    app.put(
      '/calendar/working-hours',
      {
        schema: {
          tags,
          summary: 'Set the working hours',
          description: `${WHOLE_DEPLOYMENT} Every open case step's due time is counted again: \`moved\` counts those that moved.`,
          body: workingHoursSchema,
          response: { 200: workingHoursSetSchema },
        },
      },
      async (request) => calendar.setWorkingHours(requireActor(request), request.body),
    );
  };
