import { Type } from '@sinclair/typebox';

/**
 * Seed 004 §2 answers: keys in the seed's order, its spelling and JSON types.
 * Times are site-local strings; energy is kWh as a JSON number.
 */
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

// The seed's query schemas here and in energy-schemas.ts leave additionalProperties
// open on purpose: the seed's legacy dashboards add parameters of their own
// (jQuery's `_=<time>` cache buster, tracking tags), which the seed server ignored.

export const ChargerIdQuery = Type.Object({ charger_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) });

/** Seed 2.1. The int* figures of the running session: A, Wh and minutes (0 when none runs). */
export const ChargerDetailsSchema = Type.Object({
  result: Type.Object({
    vchchargerid: Type.String(),
    vchModelID: Type.String(),
    vchvenderid: Type.String(),
    vchSerialNo: Type.String(),
    vchFirmwareVer: Type.String(),
    dblAccumlatedPower: Type.Number({ description: 'kWh over all finished sessions' }),
    dblAccumlatedMinute: Type.Number({ description: 'minutes over all finished sessions' }),
    vchIP: Nullable(Type.String()),
    vchMac: Type.String(),
    vchSoket: Type.String(),
    vchstate: Type.String({ description: 'last OCPP status, BootUp after a boot until the first status' }),
    intcurrentfeedback: Type.Integer({ description: 'measured current of the running session, A' }),
    intcurrent: Type.Integer({ description: 'the charger maximum current, A' }),
    intchargingcurrent: Type.Integer({
      description:
        'current the running session may draw: its load-management allowance (0 while waiting), the charger maximum when distribution is off; 0 when idle',
    }),
    intconsumedenergy: Type.Integer({ description: 'energy of the running session so far, Wh' }),
    intElapsedTime: Type.Integer({ description: 'whole minutes since the running session started' }),
    intchargingphase: Type.Integer(),
    vchcommand: Type.String({ description: 'last OCPP action received from the charger' }),
    dblmaxcurrent: Type.Number(),
    dblmincurrent: Type.Number(),
    intMaxPhase: Type.Integer(),
  }),
});

const LocalIso = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$' });

/** Seed 2.2 list entry; a running session has no dttrealfinish, and no dttfinishtime unless one was planned. */
export const RecordSchema = Type.Object({
  intrecordid: Type.Integer(),
  intchargingcode: Type.Integer(),
  vchchargerid: Type.String(),
  dttstartqueue: LocalIso,
  dttstarttime: LocalIso,
  dttfinishtime: Nullable(LocalIso),
  dttrealfinish: Nullable(LocalIso),
});

export const RecordListQuery = Type.Object({
  date: Type.String({ description: 'site-local day YYYY-MM-DD' }),
  charger_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export const RecordListSchema = Type.Object({ result: Type.Array(RecordSchema) });

/** The "Start" modal: the 2.2 fields and the rest of the session. */
export const RecordDetailSchema = Type.Object({
  result: Type.Object({
    ...RecordSchema.properties,
    intconnectorid: Type.Integer(),
    vchidtag: Type.String(),
    intmeterstart: Type.Integer({ description: 'Wh' }),
    intmeterstop: Type.Union([Type.Integer(), Type.Null()], { description: 'Wh; null while running' }),
    dblenergy: Type.Number({ description: 'kWh; so far, while running' }),
    dblminutes: Type.Number({ description: 'minutes; so far, while running' }),
    vchstopreason: Nullable(Type.String()),
    blnmeteranomaly: Type.Integer({ description: '1 when meterStop < meterStart (counted as 0 kWh)' }),
  }),
});
export const RecordIdParams = Type.Object({ intrecordid: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

/** Seed 2.6 */
export const StatisticSchema = Type.Object({
  total_charger: Type.Integer(),
  accumulate_power: Type.Number(),
  accumulate_minutes: Type.Number(),
  total_charging: Type.Integer(),
});

/** Seed 2.7 */
export const RecentQuery = Type.Object({ num: Type.Integer({ minimum: 1, maximum: 1000, default: 7 }) });
export const RecentSchema = Type.Object({
  num: Type.Integer(),
  result: Type.Array(
    Type.Object({
      intrecordid: Type.Integer(),
      dttfinishtime: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$' }),
      dblenergy: Type.Number(),
    }),
  ),
});

/** Seed 2.8 */
export const StateListSchema = Type.Object({
  result: Type.Array(Type.Object({ vchchargerid: Type.String(), vchstate: Type.String(), vchcommand: Type.String() })),
});

/** Seed 2.12, 2.13, 2.14 */
export const ChargerIdListSchema = Type.Object({ chargers: Type.Array(Type.String()) });
export const MaxCurrentSchema = Type.Object({
  int_max_current_a: Type.Integer(),
  int_max_current_b: Type.Integer(),
  int_max_current_c: Type.Integer(),
});
export const DeviceListSchema = Type.Object({
  data: Type.Array(
    Type.Object({
      vch_charger_id: Type.String(),
      vch_firmware_ver: Type.String(),
      vch_model_id: Type.String(),
      vch_state: Nullable(Type.String()),
    }),
  ),
});
