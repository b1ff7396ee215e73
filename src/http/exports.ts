import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../core/schemas/fields.js';
import { createExportBody, exportFields, exportListQuery, exportView } from '../core/schemas/exports.js';
import { actorOf, principalOf } from './request-context.js';
import { errorBody, errorResponses, listOf } from './schemas.js';

const exportList = listOf(exportView);
export type ExportResponse = z.infer<typeof exportView>;
export type ExportListResponse = z.infer<typeof exportList>;

/** Call-record exports: request one, follow its progress, download the file. Analysts may export. */
const exports: FastifyPluginAsyncZod = async (app) => {
  const tags = ['exports'];
  const svc = () => app.services.exports;

  app.post(
    '/api/exports',
    {
      schema: {
        tags,
        summary: 'Export call records to CSV or JSON in the background',
        description: `fields: any of ${exportFields.join(', ')} (default all, in that order). filters: those of GET /api/call-records (status may be a list). Answers 202 with the export; poll GET /api/exports/:id until status is completed, then download.`,
        body: createExportBody,
        response: { 202: exportView, 503: errorBody, ...errorResponses },
      },
      config: { access: 'member' },
    },
    async (request, reply) => reply.status(202).send(await svc().create(actorOf(request), request.body)),
  );

  app.get(
    '/api/exports',
    { schema: { tags, summary: "The tenant's exports, newest first", querystring: exportListQuery, response: { 200: exportList, ...errorResponses } } },
    async (request) => svc().list(principalOf(request).tenantId, request.query),
  );

  // `/status` is the seed documents' name for the same answer.
  for (const [url, summary] of [
    ['/api/exports/:id', 'Status, progress and row count of an export'],
    ['/api/exports/:id/status', 'Alias of GET /api/exports/:id (the seed API name)'],
  ] as const) {
    app.get(url, { schema: { tags, summary, params: idParam, response: { 200: exportView, ...errorResponses } } }, async (request) =>
      svc().detail(principalOf(request).tenantId, request.params.id),
    );
  }

  app.get(
    '/api/exports/:id/download',
    {
      schema: {
        tags,
        summary: 'The export file, streamed (409 until completed, 404 once expired)',
        params: idParam,
        // The body is the file (text/csv or application/json), streamed; Fastify sends streams unserialised.
        response: { 200: z.unknown().describe('The export file, with content-disposition: attachment'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await svc().openDownload(actorOf(request), request.params.id);
      reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`);
      if (file.size !== undefined) reply.header('content-length', file.size);
      return reply.send(file.body);
    },
  );
};
export default exports;
