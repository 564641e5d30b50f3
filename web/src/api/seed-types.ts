/**
 * Answers of the seed API (seed 004 §2, §3), field names and nesting exactly as
 * the seed prints them, spelling included (dblAccumlatedPower, vchSoket).
 */
export interface ChargerDetails {
  vchchargerid: string;
  vchModelID: string | null;
  vchvenderid: string | null;
  vchSerialNo: string | null;
  vchFirmwareVer: string | null;
  dblAccumlatedPower: number;
  dblAccumlatedMinute: number;
  vchIP: string | null;
  vchMac: string | null;
  vchSoket: string | null;
  vchstate: string | null;
  intcurrentfeedback: number;
  intcurrent: number;
  intchargingcurrent: number;
  intconsumedenergy: number;
  intElapsedTime: number;
  intchargingphase: number;
  vchcommand: string | null;
  dblmaxcurrent: number;
  dblmincurrent: number;
  intMaxPhase: number;
}

/** §2.2 list entry; times `YYYY-MM-DDTHH:mm:ss`, site-local. */
export interface RecordSummary {
  intrecordid: number;
  intchargingcode: number;
  vchchargerid: string;
  dttstartqueue: string | null;
  dttstarttime: string | null;
  dttfinishtime: string | null;
  dttrealfinish: string | null;
}

/**
 * §2.2 one record in full (docs/PRODUCT.md §3): the list fields plus energy,
 * meters, tag, reason, connector; server/api/seed/schemas.ts RecordDetailSchema,
 * held equal to it by test/web/record-fields.test.ts.
 */
export interface RecordFull extends RecordSummary {
  intconnectorid: number;
  vchidtag: string;
  /** Wh */
  intmeterstart: number;
  /** Wh; null while running */
  intmeterstop: number | null;
  /** kWh; so far, while running */
  dblenergy: number;
  /** minutes; so far, while running */
  dblminutes: number;
  vchstopreason: string | null;
  /** 1 when meterStop < meterStart (counted as 0 kWh) */
  blnmeteranomaly: number;
}

export interface ChargerStatistic {
  total_charger: number;
  accumulate_power: number;
  accumulate_minutes: number;
  total_charging: number;
}

export interface RecentRecords {
  num: number;
  result: { intrecordid: number; dttfinishtime: string | null; dblenergy: number }[];
}

export interface ChargerStateRow {
  vchchargerid: string;
  vchstate: string | null;
  vchcommand: string | null;
}

/** §2.9: 16 one-key objects in the seed's order, percentages. */
export interface StateStatistic {
  result: Record<string, number>[];
}

export interface Series {
  x: string[];
  y: number[];
}

export interface ChargerSeries extends Series {
  charger_id: string;
  total?: number;
}

export interface TrendSeries extends Series {
  total: number;
}

export interface MaxCurrents {
  int_max_current_a: number;
  int_max_current_b: number;
  int_max_current_c: number;
}

export interface ChargerListRow {
  vch_charger_id: string;
  vch_firmware_ver: string | null;
  vch_model_id: string | null;
  vch_state: string | null;
}

/** §3.1/§3.2 mode: 1 yearly, 2 monthly, 3 daily. */
export type TrendMode = 1 | 2 | 3;
