/**
 * The seed's charger states (§2.9, its spelling) with Chinese names; also
 * used for the OCPP statuses they map from (docs/PRODUCT.md §3).
 */
export const STATE_NAMES: Record<string, { en: string; zh: string }> = {
  BootUp: { en: 'Boot up', zh: '启动' },
  Available: { en: 'Available', zh: '空闲' },
  PreParing: { en: 'Preparing', zh: '准备中' },
  Preparing: { en: 'Preparing', zh: '准备中' },
  Charging: { en: 'Charging', zh: '充电中' },
  StatusChanged: { en: 'Status changed', zh: '状态变更' },
  StopCharging: { en: 'Stop charging', zh: '停止充电' },
  RemoteCharging: { en: 'Remote start', zh: '远程启动' },
  RemoteStopCharging: { en: 'Remote stop', zh: '远程停止' },
  SendMessage: { en: 'Sending message', zh: '发送消息' },
  Updating: { en: 'Updating firmware', zh: '固件更新' },
  Unavailable: { en: 'Unavailable', zh: '不可用' },
  Reboot: { en: 'Rebooting', zh: '重启中' },
  Faulted: { en: 'Faulted', zh: '故障' },
  SupsendedEV: { en: 'Suspended (EV)', zh: '车辆暂停' },
  SuspendedEV: { en: 'Suspended (EV)', zh: '车辆暂停' },
  SuspendedEVSE: { en: 'Suspended (EVSE)', zh: '电桩暂停' },
  Finishing: { en: 'Finishing', zh: '结束中' },
  Reserved: { en: 'Reserved', zh: '已预约' },
  Other: { en: 'Other / offline', zh: '其他 / 离线' },
};

/** Colour class of a state for badges. */
export function stateTone(s: string | null | undefined): 'ok' | 'busy' | 'warn' | 'bad' | 'idle' {
  switch (s) {
    case 'Available':
      return 'ok';
    case 'Charging':
    case 'PreParing':
    case 'Preparing':
    case 'RemoteCharging':
      return 'busy';
    case 'Faulted':
    case 'Unavailable':
      return 'bad';
    case 'BootUp':
    case 'Reboot':
    case 'Updating':
    case 'SuspendedEV':
    case 'SupsendedEV':
    case 'SuspendedEVSE':
    case 'Finishing':
      return 'warn';
    default:
      return 'idle';
  }
}
