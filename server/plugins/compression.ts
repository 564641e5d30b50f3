import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { BROTLI_OPTIONS, COMPRESS_THRESHOLD, ENCODINGS, GZIP_OPTIONS } from '../content-coding.ts';

/**
 * Answers compressed by the client's Accept-Encoding (brotli, else gzip;
 * RFC 9110 §12.5.3), none when it sends none or only `identity`, so a seed-API
 * client that never asked gets the bytes it always got. Bodies under 1 KB go
 * as they are; only textual types are compressed (the plugin's default:
 * JSON, text but not text/event-stream, XML), so fonts and images, already
 * compressed, are not compressed twice, and an answer that set its own
 * Content-Encoding (the seed's cached answers, compressed once per fill:
 * api/seed/cached-answer.ts) is sent as it is. WebSocket upgrades never reach
 * a reply, so `/ocpp/` and `/api/live` are untouched.
 */
async function compressionPlugin(app: FastifyInstance) {
  await app.register(compress, {
    global: true,
    encodings: [...ENCODINGS],
    threshold: COMPRESS_THRESHOLD,
    brotliOptions: BROTLI_OPTIONS,
    zlibOptions: GZIP_OPTIONS,
  });
}

export default fp(compressionPlugin, { name: 'compression' });
