import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/session.plugin.ts';
import type { CalendarService } from './calendar.service.ts';

const tags = ['calendar'];
const daySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  workday: z.boolean(),
  name: z.string().max(40).optional(),
});
const hoursSchema = z.object({
  periods: z
    .array(z.object({ start: z.string(), end: z.string() }))
    .min(1)
    .max(6),
  timeZone: z.string(),
});
const yearSchema = z.object({
  year: z.number().int(),
  covered: z.boolean(),
  days: z.array(daySchema),
  hours: hoursSchema,
  coveredYears: z.array(z.number().int()),
});

export const calendarRoutes =
  (calendar: CalendarService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/calendar/:year',
      {
        schema: {
          tags,
          summary: 'The holidays and make-up workdays of a year, the working hours and the years covered',
          params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
          response: { 200: yearSchema },
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
          params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
          body: z.object({ days: z.array(daySchema).max(366) }),
          response: { 200: yearSchema },
        },
      },
      async (request) =>
        calendar.loadYear(requireActor(request), { year: request.params.year, days: request.body.days }),
    );

    app.put(
      '/calendar/working-hours',
      {
        schema: { tags, summary: 'Set the working hours', body: hoursSchema, response: { 200: hoursSchema } },
      },
      async (request) => calendar.setWorkingHours(requireActor(request), request.body),
    );
  };
