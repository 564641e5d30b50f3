import type { Lang } from '../../i18n/context.tsx';
import type { FieldProblem } from './commands.ts';

/** Chinese names of the OCPP actions; English shows the OCPP name itself. */
const ACTION_ZH: Record<string, string> = {
  RemoteStartTransaction: '远程启动充电',
  RemoteStopTransaction: '远程停止充电',
  Reset: '重启',
  UnlockConnector: '解锁枪头',
  ChangeAvailability: '更改可用性',
  GetConfiguration: '读取配置',
  ChangeConfiguration: '修改配置',
  ClearCache: '清除缓存',
  TriggerMessage: '触发消息',
  UpdateFirmware: '固件升级',
  GetDiagnostics: '获取诊断',
  DataTransfer: '数据传输',
  ReserveNow: '预约',
  CancelReservation: '取消预约',
  SetChargingProfile: '设置充电曲线',
  ClearChargingProfile: '清除充电曲线',
  GetCompositeSchedule: '获取组合计划',
  SendLocalList: '下发本地列表',
  GetLocalListVersion: '本地列表版本',
};

/** Field labels; the OCPP field name is shown too so operators can match the spec. */
const FIELD: Record<string, { en: string; zh: string }> = {
  idTag: { en: 'Id tag', zh: '卡号' },
  parentIdTag: { en: 'Parent id tag', zh: '父卡号' },
  connectorId: { en: 'Connector', zh: '枪号' },
  transactionId: { en: 'Transaction', zh: '交易号' },
  type: { en: 'Type', zh: '类型' },
  key: { en: 'Key', zh: '键' },
  value: { en: 'Value', zh: '值' },
  requestedMessage: { en: 'Message', zh: '消息' },
  location: { en: 'URL', zh: '地址' },
  retrieveDate: { en: 'Retrieve at', zh: '下载时间' },
  retries: { en: 'Retries', zh: '重试次数' },
  retryInterval: { en: 'Retry interval (s)', zh: '重试间隔（秒）' },
  startTime: { en: 'From', zh: '开始时间' },
  stopTime: { en: 'To', zh: '结束时间' },
  vendorId: { en: 'Vendor', zh: '厂商' },
  messageId: { en: 'Message id', zh: '消息ID' },
  data: { en: 'Data', zh: '数据' },
  expiryDate: { en: 'Expires', zh: '到期时间' },
  reservationId: { en: 'Reservation', zh: '预约号' },
  csChargingProfiles: { en: 'Charging profile (JSON)', zh: '充电曲线（JSON）' },
  id: { en: 'Profile id', zh: '曲线ID' },
  chargingProfilePurpose: { en: 'Purpose', zh: '用途' },
  stackLevel: { en: 'Stack level', zh: '层级' },
  duration: { en: 'Duration (s)', zh: '时长（秒）' },
  chargingRateUnit: { en: 'Rate unit', zh: '单位' },
  listVersion: { en: 'List version', zh: '列表版本' },
  updateType: { en: 'Update type', zh: '更新方式' },
  localAuthorizationList: { en: 'Authorization list (JSON)', zh: '授权列表（JSON）' },
};

const PROBLEM: Record<FieldProblem, { en: string; zh: string }> = {
  required: { en: 'Required.', zh: '必填。' },
  int: { en: 'Must be a whole number.', zh: '须为整数。' },
  json: { en: 'Must be valid JSON.', zh: '须为有效的 JSON。' },
  url: { en: 'Must be a URL such as ftp://host/file.', zh: '须为地址，例如 ftp://host/file。' },
};

export const actionLabel = (action: string, lang: Lang) =>
  lang === 'zh' ? `${ACTION_ZH[action] ?? action} (${action})` : action;
export const fieldLabel = (name: string, lang: Lang) => `${FIELD[name]?.[lang] ?? name}`;
export const problemText = (p: FieldProblem, lang: Lang) => PROBLEM[p][lang];
