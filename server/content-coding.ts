import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** The codings we answer in, in our order of preference when the client weighs them alike. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Smaller bodies go uncompressed: the headers and the coding would cost more than they save. */
export const COMPRESS_THRESHOLD = 1024;

/**
 * Brotli quality 4: close to gzip's speed with smaller output; quality 11
 * (zlib's default) costs about 50 times the time on a 3 MB chart answer.
 */
export const BROTLI_OPTIONS = {
  params: {
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
  },
};
export const GZIP_OPTIONS = { level: 6 };

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Compresses off the event loop (zlib's thread pool), with the same settings as the plugin. */
export function encode(body: string, encoding: Encoding): Promise<Buffer> {
  const input = Buffer.from(body, 'utf8');
  return encoding === 'br'
    ? brotli(input, {
        ...BROTLI_OPTIONS,
        params: { ...BROTLI_OPTIONS.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: input.length },
      })
    : gzip(input, GZIP_OPTIONS);
}

/**
 * The coding to answer a request in, from its Accept-Encoding (RFC 9110
 * §12.5.3): the highest weight among ours, brotli first on a tie; `*` stands
 * for any not named; none (identity) without the header or when nothing of
 * ours is acceptable.
 */
export function negotiate(header: string | string[] | undefined): Encoding | null {
  if (header === undefined) return null;
  const weights = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : header).toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(weight) ? weight : 0);
  }
  let best: Encoding | null = null;
  let bestWeight = 0;
  for (const e of ENCODINGS) {
    const w = weights.get(e) ?? weights.get('*') ?? 0;
    if (w > bestWeight) [best, bestWeight] = [e, w];
  }
  return best;
}
