import { createServer } from 'node:http';

/**
 * The baseline: a bare node:http server that reads each request body and answers
 * the exact CXML bytes the service gave for one real call, with the same content type.
 */
const body = Buffer.from(process.env.BARE_BODY ?? '', 'utf8');
const contentType = process.env.BARE_CONTENT_TYPE ?? 'application/xml; charset=utf-8';
const port = Number(process.env.BARE_PORT ?? 0);

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
