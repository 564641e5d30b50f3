import type ocpp from 'ocpp-rpc';
import type { ChargePoint } from './charge-point.ts';
import type { ChargingProfile } from './charging-profiles.ts';
import { compositeSchedule } from './composite-schedule.ts';
import { runDiagnosticsUpload, runFirmwareUpdate, sendTriggered } from './maintenance.ts';
import type { Connector } from './types.ts';

type Params = Record<string, unknown> & { connectorId?: number };
type Handler = (cp: ChargePoint, p: Params) => Record<string, unknown>;

/** Runs after the answer has gone out (a handler's side effects must not overtake its reply). */
function afterReply(fn: () => unknown): void {
  setImmediate(() => void fn());
}

function free(c: Connector | undefined): c is Connector {
  return (
    !!c &&
    !c.session &&
    !c.starting &&
    c.availability === 'Operative' &&
    (c.status === 'Available' || c.status === 'Preparing' || c.status === 'Reserved')
  );
}

/**
 * Every command a central system can send in OCPP 1.6 (Core, Firmware
 * Management, Local Auth List, Reservation, Smart Charging, Remote Trigger),
 * answered as a charge point would. Section numbers are OCPP 1.6 chapter 5.
 */
const HANDLERS: Record<string, Handler> = {
  // §5.11: a free connector starts a session for the tag; a busy charger rejects.
  RemoteStartTransaction(cp, p) {
    const idTag = p.idTag as string;
    const c = p.connectorId !== undefined ? cp.connector(p.connectorId) : cp.connectors.find(free);
    if (!free(c) || (c.reservation && c.reservation.idTag !== idTag)) return { status: 'Rejected' };
    const profile = p.chargingProfile as ChargingProfile | undefined;
    if (profile && profile.chargingProfilePurpose !== 'TxProfile') return { status: 'Rejected' };
    if (profile) cp.profiles.set(c.id, profile, cp.clock.now());
    c.starting = true;
    afterReply(() => cp.startSession(c, { idTag, remote: true, plugS: cp.rng.between(1, 4) * 3600 }));
    return { status: 'Accepted' };
  },
  // §5.12
  RemoteStopTransaction(cp, p) {
    const c = cp.connectors.find((x) => x.session?.transactionId === p.transactionId);
    if (!c?.session) return { status: 'Rejected' };
    c.session.stopReason = 'Remote';
    c.session.stop.abort();
    return { status: 'Accepted' };
  },
  // §5.13
  Reset(cp, p) {
    afterReply(() => cp.reboot(p.type as 'Soft' | 'Hard'));
    return { status: 'Accepted' };
  },
  // §5.17: a running session on the connector ends (reason UnlockCommand), then the cable is released.
  UnlockConnector(cp, p) {
    const c = cp.connector(p.connectorId!);
    if (!c) return { status: 'NotSupported' };
    if (c.session) {
      c.session.stopReason = 'UnlockCommand';
      c.session.stop.abort();
    }
    return { status: 'Unlocked' };
  },
  // §5.2: connector 0 means the whole charger; a connector in a transaction changes after it (Scheduled).
  ChangeAvailability(cp, p) {
    const type = p.type as 'Operative' | 'Inoperative';
    const targets =
      p.connectorId === 0 ? cp.connectors : [cp.connector(p.connectorId!)].filter((c): c is Connector => !!c);
    if (targets.length === 0) return { status: 'Rejected' };
    let scheduled = false;
    for (const c of targets) {
      if (c.session) {
        c.scheduledAvailability = type;
        scheduled = true;
        continue;
      }
      c.availability = type;
      afterReply(() => cp.setStatus(c, cp.idleStatus(c), cp.clock));
    }
    if (p.connectorId === 0) {
      cp.status0 = type === 'Operative' ? 'Available' : 'Unavailable';
      afterReply(() => cp.sendStatus(0, cp.status0, cp.clock).catch(() => {}));
    }
    return { status: scheduled ? 'Scheduled' : 'Accepted' };
  },
  // §5.8
  GetConfiguration(cp, p) {
    return cp.config.read(p.key as string[] | undefined);
  },
  // §5.3
  ChangeConfiguration(cp, p) {
    return { status: cp.config.change(p.key as string, p.value as string) };
  },
  // §5.4
  ClearCache(cp) {
    cp.authCache.clear();
    return { status: 'Accepted' };
  },
  // §5.17 TriggerMessage: answer first, then send the requested message.
  TriggerMessage(cp, p) {
    const what = p.requestedMessage as string;
    if (p.connectorId !== undefined && p.connectorId !== 0 && !cp.connector(p.connectorId))
      return { status: 'Rejected' };
    afterReply(() => sendTriggered(cp, what, p.connectorId));
    return { status: 'Accepted' };
  },
  // §5.19: download at retrieveDate, install, report each step, reboot.
  UpdateFirmware(cp, p) {
    afterReply(() => runFirmwareUpdate(cp, p.location as string, new Date(p.retrieveDate as string)));
    return {};
  },
  // §5.9: name the file, then report the upload.
  GetDiagnostics(cp, p) {
    const fileName = `diagnostics-${cp.id}-${cp.clock.now().toISOString().replace(/[:.]/g, '')}.log`;
    afterReply(() => runDiagnosticsUpload(cp));
    void p;
    return { fileName };
  },
  // §5.6: only our own vendor's messages are understood.
  DataTransfer(cp, p) {
    if (p.vendorId !== (cp.opts.vendor ?? 'evpower')) return { status: 'UnknownVendorId' };
    if (p.messageId !== undefined && p.messageId !== 'echo') return { status: 'UnknownMessageId' };
    return { status: 'Accepted', data: typeof p.data === 'string' ? p.data : '' };
  },
  // §5.14
  ReserveNow(cp, p) {
    if (p.connectorId === 0 && !cp.config.bool('ReserveConnectorZeroSupported')) return { status: 'Rejected' };
    const c = cp.connector(p.connectorId!);
    if (!c) return { status: 'Rejected' };
    if (c.availability === 'Inoperative') return { status: 'Unavailable' };
    if (c.status === 'Faulted') return { status: 'Faulted' };
    if (
      c.session ||
      (c.reservation && c.reservation.id !== p.reservationId) ||
      c.status !== (c.reservation ? 'Reserved' : 'Available')
    )
      return { status: 'Occupied' };
    const reservation = {
      id: p.reservationId as number,
      idTag: p.idTag as string,
      expiry: new Date(p.expiryDate as string),
    };
    c.reservation = reservation;
    afterReply(async () => {
      await cp.setStatus(c, 'Reserved', cp.clock);
      await cp.clock.sleep(reservation.expiry.getTime() - cp.clock.now().getTime(), cp.lifeSignal);
      if (c.reservation === reservation) {
        c.reservation = undefined;
        if (c.status === 'Reserved') await cp.setStatus(c, cp.idleStatus(c), cp.clock);
      }
    });
    return { status: 'Accepted' };
  },
  // §5.1
  CancelReservation(cp, p) {
    const c = cp.connectors.find((x) => x.reservation?.id === p.reservationId);
    if (!c) return { status: 'Rejected' };
    c.reservation = undefined;
    afterReply(() => c.status === 'Reserved' && cp.setStatus(c, cp.idleStatus(c), cp.clock));
    return { status: 'Accepted' };
  },
  // §5.16: the limit applies at once: the draw is set again before the answer goes out, so Accepted means obeyed.
  SetChargingProfile(cp, p) {
    const profile = p.csChargingProfiles as ChargingProfile;
    const c = p.connectorId === 0 ? undefined : cp.connector(p.connectorId!);
    if (p.connectorId !== 0 && !c) return { status: 'Rejected' };
    if (profile.stackLevel > cp.config.int('ChargeProfileMaxStackLevel')) return { status: 'Rejected' };
    if (profile.chargingSchedule.chargingSchedulePeriod.length > cp.config.int('ChargingScheduleMaxPeriods'))
      return { status: 'Rejected' };
    if (profile.chargingProfilePurpose === 'ChargePointMaxProfile' && p.connectorId !== 0)
      return { status: 'Rejected' };
    if (profile.chargingProfilePurpose === 'TxProfile') {
      // §3.13.1: a TxProfile needs an active transaction on the connector, and one naming a transaction must name that one.
      // While the StartTransaction is unanswered its id is not known yet: the profile is kept and applies once it is (if it matches).
      const tx = c?.session?.transactionId;
      if (!c?.session || (profile.transactionId !== undefined && tx !== undefined && profile.transactionId !== tx))
        return { status: 'Rejected' };
    }
    if (!cp.profiles.set(p.connectorId!, profile, cp.clock.now(), cp.config.int('MaxChargingProfilesInstalled')))
      return { status: 'Rejected' };
    cp.refresh();
    return { status: 'Accepted' };
  },
  // §5.5: the draw follows at once, as for SetChargingProfile.
  ClearChargingProfile(cp, p) {
    const cleared = cp.profiles.clear({
      id: p.id as number | undefined,
      connectorId: p.connectorId,
      chargingProfilePurpose: p.chargingProfilePurpose as string | undefined,
      stackLevel: p.stackLevel as number | undefined,
    });
    if (cleared) cp.refresh();
    return { status: cleared ? 'Accepted' : 'Unknown' };
  },
  // §5.7
  GetCompositeSchedule(cp, p) {
    const c = p.connectorId === 0 ? undefined : cp.connector(p.connectorId!);
    if (p.connectorId !== 0 && !c) return { status: 'Rejected' };
    const now = cp.clock.now();
    const tx = c?.session ? { id: c.session.transactionId, start: c.session.start } : undefined;
    const unit = (p.chargingRateUnit as 'A' | 'W' | undefined) ?? 'A';
    const chargingSchedule = compositeSchedule(
      cp.profiles,
      p.connectorId!,
      now,
      p.duration as number,
      tx,
      cp.phases,
      cp.maxAmps,
      unit,
    );
    return { status: 'Accepted', connectorId: p.connectorId, scheduleStart: now.toISOString(), chargingSchedule };
  },
  // §5.15: Full replaces the list; Differential must follow the current version.
  SendLocalList(cp, p) {
    const list = (p.localAuthorizationList as { idTag: string; idTagInfo?: { status: string } }[] | undefined) ?? [];
    if (list.length > cp.config.int('SendLocalListMaxLength')) return { status: 'Failed' };
    if (p.updateType === 'Full') cp.localList.entries.clear();
    else if ((p.listVersion as number) <= cp.localList.version) return { status: 'VersionMismatch' };
    for (const e of list) {
      if (e.idTagInfo) cp.localList.entries.set(e.idTag, e.idTagInfo.status);
      else cp.localList.entries.delete(e.idTag);
    }
    cp.localList.version = p.listVersion as number;
    return { status: 'Accepted' };
  },
  // §5.10
  GetLocalListVersion(cp) {
    return { listVersion: cp.localList.version };
  },
};

export const SUPPORTED_COMMANDS = Object.keys(HANDLERS);

export function registerCommands(cp: ChargePoint, client: InstanceType<typeof ocpp.RPCClient>): void {
  for (const [action, handler] of Object.entries(HANDLERS)) {
    client.handle(action, async ({ params }) => {
      const answer = handler(cp, (params ?? {}) as Params);
      cp.emit('command', `${action} ${JSON.stringify(params)} -> ${JSON.stringify(answer)}`);
      return answer;
    });
  }
}
