import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** OpenAPI 3 document built from the route schemas, at /api/openapi.json and /api/docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Snowtorch dashboard API',
        description:
          'Read-only views of the Oura data stored by Snowtorch, plus sync control. Every error ' +
          'has the shape {"error":{"code","message","details?"}}. Days are the local wake-up day ' +
          '(YYYY-MM-DD); times carry their own UTC offset.',
        version: '1',
      },
      tags: [
        { name: 'nights', description: 'One night and its naps' },
        { name: 'trends', description: 'Daily metrics over time' },
        {
          name: 'insights',
          description:
            'Conclusions with their uncertainty: body signals, sleep debt, regularity, chronotype, weekly report, tag experiments, correlations',
        },
        {
          name: 'data',
          description: 'Coverage, sync state and control, live updates, data export',
        },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
