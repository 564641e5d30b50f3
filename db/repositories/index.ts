import type { Db } from '../client.ts';
import { createAlertRepository } from './alerts.ts';
import { createAuditRepository } from './audit.ts';
import { createChargerEventRepository } from './charger-events.ts';
import { createChargerLiveRepository } from './charger-live.ts';
import { createChargerRepository } from './chargers.ts';
import { createCircuitsRepository } from './circuits.ts';
import { createCommandRepository } from './commands.ts';
import { createIdTagRepository } from './id-tags.ts';
import { createLoadSiteRepository } from './load-site.ts';
import { createMeterIngestRepository } from './meter-ingest.ts';
import { createOcppMessageRepository } from './ocpp-messages.ts';
import { createEnergyQueryRepository } from './energy-queries.ts';
import { createSeedQueryRepository } from './seed-queries.ts';
import { createSessionCurveRepository } from './session-curve.ts';
import { createTransactionListRepository } from './transaction-list.ts';
import { createTransactionRepository } from './transactions.ts';
import { createBatteryRepository } from './batteries.ts';
import { createSessionRepository } from './sessions.ts';
import { createSettingsRepository } from './settings.ts';
import { createTokenRepository } from './tokens.ts';
import { createUserRepository } from './users.ts';

/** Every repository over one database handle. */
export function createRepositories(db: Db) {
  return {
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    tokens: createTokenRepository(db),
    settings: createSettingsRepository(db),
    audit: createAuditRepository(db),
    alerts: createAlertRepository(db),
    chargers: createChargerRepository(db),
    circuits: createCircuitsRepository(db),
    chargerLive: createChargerLiveRepository(db),
    transactions: createTransactionRepository(db),
    meterIngest: createMeterIngestRepository(db),
    batteries: createBatteryRepository(db),
    chargerEvents: createChargerEventRepository(db),
    idTags: createIdTagRepository(db),
    commands: createCommandRepository(db),
    seedQueries: createSeedQueryRepository(db),
    energy: createEnergyQueryRepository(db),
    transactionList: createTransactionListRepository(db),
    sessionCurve: createSessionCurveRepository(db),
    loadSite: createLoadSiteRepository(db),
    ocppMessages: createOcppMessageRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
