/** The OCPP-J versions a connection can speak; the WebSocket subprotocol names them (OCPP-J 1.6 §3.1.2). */
export const OCPP_VERSIONS = ['ocpp1.6'] as const;
export type OcppVersion = (typeof OCPP_VERSIONS)[number];

export function ocppVersion(subprotocol: string | undefined): OcppVersion | undefined {
  return OCPP_VERSIONS.find((v) => v === subprotocol);
}

/**
 * Each version's names for the CALLERROR codes ocpp-rpc knows under other
 * names. OCPP-J 1.6 §4.2.3 knows fewer codes than OCPP 2.0.1, whose codes
 * ocpp-rpc uses for frames it cannot parse (RpcFrameworkError,
 * MessageTypeNotSupported) and its schema validator uses for some failures
 * (FormatViolation): 1.6's code for "syntactically incorrect or not conform
 * the PDU structure" is FormationViolation. 1.6 also spells
 * OccurenceConstraintViolation with one r, a typo the OCPP-J 1.6 errata
 * (v1.0 §5.1) keeps on purpose; ocpp-rpc "corrects" it to the 2.x spelling
 * on 1.6 connections, which a strict 1.6 peer does not know.
 */
const RENAMES: Record<OcppVersion, Record<string, string>> = {
  'ocpp1.6': {
    RpcFrameworkError: 'FormationViolation',
    MessageTypeNotSupported: 'FormationViolation',
    FormatViolation: 'FormationViolation',
    OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  },
};

/** `code` as `version` names it (unchanged when the version knows it by that name). */
export function errorCodeFor(version: OcppVersion, code: string): string {
  return RENAMES[version][code] ?? code;
}

/** A serialised frame with its CALLERROR code (if any) in `version`'s name. */
export function frameFor(version: OcppVersion, frame: string): string {
  if (!frame.startsWith('[4,')) return frame;
  try {
    const parsed = JSON.parse(frame) as unknown[];
    if (typeof parsed[2] !== 'string') return frame;
    const renamed = errorCodeFor(version, parsed[2]);
    if (renamed === parsed[2]) return frame;
    parsed[2] = renamed;
    return JSON.stringify(parsed);
  } catch {
    return frame;
  }
}
