import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import { signedEncoding, signedText, signedXml } from './signed-format.ts';
import { SignedReadingsAnswer, SignedReadingsParams, SignedReadingsQuery } from './signed-schemas.ts';

/**
 * GET /api/transactions/:id/signed-readings: a session's SignedData meter
 * readings (OCPP 1.6 §7.31, e.g. OCMF under German calibration law) as the
 * charger sent them, for an operator to hand to a transparency tool. JSON by
 * default; `format=ocmf` one value per line as a text file; `format=xml` the
 * Transparenzsoftware container.
 */
export default async function signedReadingRoutes(app: FastifyInstance) {
  app.get<{ Params: Static<typeof SignedReadingsParams>; Querystring: Static<typeof SignedReadingsQuery> }>(
    '/api/transactions/:id/signed-readings',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['transactions'],
        summary:
          "The session's signed meter readings, verbatim: JSON, &format=ocmf (text, one per line) or &format=xml (Transparenzsoftware)",
        params: SignedReadingsParams,
        querystring: SignedReadingsQuery,
        response: { 200: SignedReadingsAnswer },
      },
    },
    async (req, reply) => {
      const id = req.params.id;
      const tx = await app.repos.transactions.get(id);
      if (!tx) throw new AppError('NOT_FOUND', `No transaction ${id}`);
      const readings = await app.repos.transactions.signedReadings(id);
      const format = req.query.format;
      if (format === 'ocmf' || format === 'xml') {
        const [type, ext, body] =
          format === 'ocmf'
            ? ['text/plain; charset=utf-8', 'txt', signedText(readings)]
            : ['application/xml; charset=utf-8', 'xml', signedXml(id, readings)];
        return reply
          .header('content-type', type)
          .header('content-disposition', `attachment; filename="session-${id}-signed.${ext}"`)
          .send(body);
      }
      return {
        transactionId: id,
        chargerId: tx.chargerId,
        items: readings.map((r) => ({
          timestamp: r.timestamp.toISOString(),
          measurand: r.measurand,
          context: r.context,
          location: r.location,
          phase: r.phase || null,
          unit: r.unit,
          format: 'SignedData' as const,
          encoding: signedEncoding(r.value),
          value: r.value,
        })),
      };
    },
  );
}
