import type { SignedReading } from '../../../db/repositories/transactions.ts';

/**
 * How a SignedData value (OCPP 1.6 §7.31: the signed blob as the charger sent
 * it) appears to be written. OCPP 1.6 carries no encoding field, so this is a
 * hint read off the value for the reader, never a change to it: an OCMF
 * document ("OCMF|payload|signature"), hexadecimal, Base64, or unknown.
 */
export type SignedEncoding = 'OCMF' | 'hex' | 'base64' | 'unknown';

export function signedEncoding(value: string): SignedEncoding {
  if (value.startsWith('OCMF|')) return 'OCMF';
  if (value.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(value)) return 'hex';
  if (value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) return 'base64';
  return 'unknown';
}

/** One value per line, verbatim: what a transparency tool takes pasted or as a text file. */
export function signedText(readings: SignedReading[]): string {
  return readings.map((r) => `${r.value}\n`).join('');
}

// Five characters are all XML needs escaped; a library would add a dependency for this.
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xmlText = (s: string) => s.replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);
const xmlAttr = (s: string) => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/**
 * The XML container the S.A.F.E. e.V. Transparenzsoftware opens as a file
 * (`<values><value transactionId context><signedData format encoding
 * transactionId>…`): one `value` per reading, numbered from 1 (the tool lists
 * them by that number), the reading's context, the session id on signedData.
 * The signed text is only XML-escaped, so the parsed element text is the blob
 * byte for byte and the tool can check its signature. No publicKey element:
 * OCPP 1.6 MeterValues does not carry the meter's key; the user enters it.
 */
export function signedXml(transactionId: number, readings: SignedReading[]): string {
  const values = readings.map((r, i) => {
    const enc = signedEncoding(r.value);
    const format = enc === 'OCMF' ? ' format="OCMF"' : '';
    const encoding = enc === 'hex' || enc === 'base64' ? enc : 'plain';
    return `  <value transactionId="${i + 1}" context="${xmlAttr(r.context)}"><signedData${format} encoding="${encoding}" transactionId="${transactionId}">${xmlText(r.value)}</signedData></value>\n`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<values>\n${values.join('')}</values>\n`;
}
