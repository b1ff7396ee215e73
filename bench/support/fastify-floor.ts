import Fastify from 'fastify';

/**
 * The framework floor: Fastify (the service's version) with one route that parses
 * the JSON body and answers the same CXML bytes, doing nothing else. It shows how
 * much of the bare server's throughput is left once a framework and body parsing
 * are in the way, before any routing, recording or storage.
 */
const body = process.env.BARE_BODY ?? '';
const contentType = process.env.BARE_CONTENT_TYPE ?? 'application/xml; charset=utf-8';
const port = Number(process.env.BARE_PORT ?? 0);

const app = Fastify({ logger: false, keepAliveTimeout: 72_000 });
app.get('/', async () => 'ok');
app.post('/api/voice/application/:domain', async (request, reply) => {
  if (typeof request.body !== 'object' || request.headers.authorization === undefined) return reply.code(400).send();
  return reply.type(contentType).send(body);
});
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
