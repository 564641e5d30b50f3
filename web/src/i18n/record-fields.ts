import type { RecordFull } from '../api/seed-types.ts';

/** How a seed 2.2 record field reads in the record modal: its label in both languages and the unit of its value. */
export interface RecordField {
  en: string;
  zh: string;
  /** Shown after the value; absent: none (ids, text, times). */
  unit?: 'kWh' | 'Wh' | 'min';
  /** A site-local `YYYY-MM-DDTHH:mm:ss`, shown with a space for the T. */
  time?: true;
}

/** Labels and units of the seed 2.2 record in full (server/api/seed/schemas.ts RecordDetailSchema), in the answer's order. */
export const RECORD_FIELDS: Record<keyof RecordFull, RecordField> = {
  intrecordid: { en: 'Record ID', zh: '记录ID' },
  intchargingcode: { en: 'Charge code', zh: '充电编号' },
  vchchargerid: { en: 'Charger', zh: '充电桩' },
  dttstartqueue: { en: 'Queued at (site time)', zh: '排队时间（站点时间）', time: true },
  dttstarttime: { en: 'Started at (site time)', zh: '开始时间（站点时间）', time: true },
  dttfinishtime: { en: 'Planned finish (site time)', zh: '计划结束时间（站点时间）', time: true },
  dttrealfinish: { en: 'Finished at (site time)', zh: '实际结束时间（站点时间）', time: true },
  intconnectorid: { en: 'Connector', zh: '枪号' },
  vchidtag: { en: 'Id tag', zh: '卡号' },
  intmeterstart: { en: 'Meter at start', zh: '开始电表读数', unit: 'Wh' },
  intmeterstop: { en: 'Meter at stop', zh: '结束电表读数', unit: 'Wh' },
  dblenergy: { en: 'Energy', zh: '电量', unit: 'kWh' },
  dblminutes: { en: 'Duration', zh: '时长', unit: 'min' },
  vchstopreason: { en: 'Stop reason', zh: '停止原因' },
  blnmeteranomaly: { en: 'Meter anomaly (0/1)', zh: '电表异常（0/1）' },
};
