import type { Db } from '../client.ts';
import { createAuditRepository } from './audit.ts';
import { createChargerRepository } from './chargers.ts';
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
    chargers: createChargerRepository(db),
    transactions: createTransactionRepository(db),
    batteries: createBatteryRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
