/**
 * The charger's configuration keys (OCPP 1.6 §9: standard keys of the Core,
 * Smart Charging, Reservation and Local Auth List profiles), held in memory.
 * GetConfiguration §5.8 / ChangeConfiguration §5.3 work on this store.
 */
type Kind = 'int' | 'bool' | 'csl' | 'string';

interface KeyDef {
  value: string;
  readonly: boolean;
  kind: Kind;
  /** A change only takes effect after a reboot (§5.3 RebootRequired). */
  reboot?: boolean;
  /** Smallest accepted integer (a lower value is Rejected). */
  min?: number;
}

const DEFAULTS: Record<string, Omit<KeyDef, 'value'> & { value: string }> = {
  AllowOfflineTxForUnknownId: { value: 'false', readonly: false, kind: 'bool' },
  AuthorizationCacheEnabled: { value: 'true', readonly: false, kind: 'bool' },
  AuthorizeRemoteTxRequests: { value: 'true', readonly: false, kind: 'bool' },
  ClockAlignedDataInterval: { value: '0', readonly: false, kind: 'int' },
  ConnectionTimeOut: { value: '60', readonly: false, kind: 'int' },
  GetConfigurationMaxKeys: { value: '50', readonly: true, kind: 'int' },
  HeartbeatInterval: { value: '300', readonly: false, kind: 'int' },
  LocalAuthorizeOffline: { value: 'true', readonly: false, kind: 'bool' },
  LocalPreAuthorize: { value: 'false', readonly: false, kind: 'bool' },
  MeterValuesAlignedData: { value: 'Energy.Active.Import.Register', readonly: false, kind: 'csl' },
  MeterValuesSampledData: {
    value: 'Energy.Active.Import.Register,Current.Import,Current.Offered,Power.Active.Import,SoC',
    readonly: false,
    kind: 'csl',
  },
  MeterValueSampleInterval: { value: '60', readonly: false, kind: 'int' },
  NumberOfConnectors: { value: '1', readonly: true, kind: 'int' },
  ResetRetries: { value: '1', readonly: false, kind: 'int' },
  ConnectorPhaseRotation: { value: '1.RST', readonly: false, kind: 'csl' },
  StopTransactionOnEVSideDisconnect: { value: 'true', readonly: false, kind: 'bool' },
  StopTransactionOnInvalidId: { value: 'true', readonly: false, kind: 'bool' },
  StopTxnAlignedData: { value: '', readonly: false, kind: 'csl' },
  StopTxnSampledData: { value: 'Energy.Active.Import.Register', readonly: false, kind: 'csl' },
  SupportedFeatureProfiles: {
    value: 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
    readonly: true,
    kind: 'csl',
  },
  // §4.10: tries of a transaction message answered with a CALLERROR, waiting interval × try number between them.
  // 5 tries 10 s apart wait 10+20+30+40 s: a server failing for up to 100 s loses nothing.
  TransactionMessageAttempts: { value: '5', readonly: false, kind: 'int', min: 1 },
  TransactionMessageRetryInterval: { value: '10', readonly: false, kind: 'int' },
  UnlockConnectorOnEVSideDisconnect: { value: 'true', readonly: false, kind: 'bool' },
  WebSocketPingInterval: { value: '30', readonly: false, kind: 'int', reboot: true },
  LocalAuthListEnabled: { value: 'true', readonly: false, kind: 'bool' },
  LocalAuthListMaxLength: { value: '1000', readonly: true, kind: 'int' },
  SendLocalListMaxLength: { value: '100', readonly: true, kind: 'int' },
  ReserveConnectorZeroSupported: { value: 'false', readonly: true, kind: 'bool' },
  ChargeProfileMaxStackLevel: { value: '8', readonly: true, kind: 'int' },
  ChargingScheduleAllowedChargingRateUnit: { value: 'Current,Power', readonly: true, kind: 'csl' },
  ChargingScheduleMaxPeriods: { value: '24', readonly: true, kind: 'int' },
  MaxChargingProfilesInstalled: { value: '10', readonly: true, kind: 'int' },
};

export type ChangeResult = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

export class ConfigurationStore {
  private readonly keys = new Map<string, KeyDef>();
  constructor(overrides: Record<string, string> = {}) {
    for (const [k, def] of Object.entries(DEFAULTS)) this.keys.set(k, { ...def, value: overrides[k] ?? def.value });
  }
  get(key: string): string | undefined {
    return this.keys.get(key)?.value;
  }
  int(key: string): number {
    return Number(this.get(key) ?? 0);
  }
  bool(key: string): boolean {
    return this.get(key) === 'true';
  }
  /** Sets a key the charger itself owns (e.g. the interval from BootNotification.conf). */
  setInternal(key: string, value: string): void {
    const def = this.keys.get(key);
    if (def) def.value = value;
  }
  /** GetConfiguration.conf: all keys when none are asked for; unknown ones are listed back. */
  read(requested: string[] | undefined) {
    const names = requested?.length ? requested : [...this.keys.keys()];
    const configurationKey = [];
    const unknownKey: string[] = [];
    for (const key of names) {
      const def = this.keys.get(key);
      if (def) configurationKey.push({ key, readonly: def.readonly, value: def.value });
      else unknownKey.push(key);
    }
    return unknownKey.length ? { configurationKey, unknownKey } : { configurationKey };
  }
  /** ChangeConfiguration (§5.3): unknown key NotSupported, read-only or ill-typed value Rejected. */
  change(key: string, value: string): ChangeResult {
    const def = this.keys.get(key);
    if (!def) return 'NotSupported';
    if (def.readonly) return 'Rejected';
    if (def.kind === 'int' && (!/^\d+$/.test(value) || Number(value) < (def.min ?? 0))) return 'Rejected';
    if (def.kind === 'bool' && value !== 'true' && value !== 'false') return 'Rejected';
    def.value = value;
    return def.reboot ? 'RebootRequired' : 'Accepted';
  }
}
