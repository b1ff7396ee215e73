import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { Store } from './database.js';
import * as m0001 from './migrations/0001-tenants-and-users.js';
import * as m0002 from './migrations/0002-agents-groups-rules.js';
import * as m0003 from './migrations/0003-calls-and-audit.js';
import * as m0004 from './migrations/0004-daily-rollups.js';
import * as m0005 from './migrations/0005-export-keyset.js';
import * as m0006 from './migrations/0006-call-duration-index.js';
import * as m0007 from './migrations/0007-call-time-duration-index.js';
import * as m0008 from './migrations/0008-call-story.js';
import * as m0009 from './migrations/0009-dial-options.js';
import * as m0010 from './migrations/0010-invitations-and-password-resets.js';
import * as m0011 from './migrations/0011-webhook-secret-grace.js';
import * as m0012 from './migrations/0012-rollup-routing-shares.js';
import * as m0013 from './migrations/0013-rule-schedules.js';
import * as m0014 from './migrations/0014-split-variants.js';
import * as m0015 from './migrations/0015-provider-pools.js';
import * as m0016 from './migrations/0016-alerts.js';
import * as m0017 from './migrations/0017-cloudonix-connections.js';
import * as m0018 from './migrations/0018-test-calls.js';
import * as m0019 from './migrations/0019-first-answer-on-row.js';
import * as m0020 from './migrations/0020-alert-window-indexes.js';
import * as m0021 from './migrations/0021-rollup-generations.js';

/** Migrations are listed here, in order, so the built output needs no directory scan. */
const migrations: Record<string, Migration> = {
  '0001-tenants-and-users': m0001,
  '0002-agents-groups-rules': m0002,
  '0003-calls-and-audit': m0003,
  '0004-daily-rollups': m0004,
  '0005-export-keyset': m0005,
  '0006-call-duration-index': m0006,
  '0007-call-time-duration-index': m0007,
  '0008-call-story': m0008,
  '0009-dial-options': m0009,
  '0010-invitations-and-password-resets': m0010,
  '0011-webhook-secret-grace': m0011,
  '0012-rollup-routing-shares': m0012,
  '0013-rule-schedules': m0013,
  '0014-split-variants': m0014,
  '0015-provider-pools': m0015,
  '0016-alerts': m0016,
  '0017-cloudonix-connections': m0017,
  '0018-test-calls': m0018,
  '0019-first-answer-on-row': m0019,
  '0020-alert-window-indexes': m0020,
  '0021-rollup-generations': m0021,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationError extends Error {
  constructor(message: string, override readonly cause: unknown) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Applies every pending migration; returns the names applied now. Concurrent callers are serialised by Kysely's lock table. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  return applied;
}

/** Names of the migrations this build knows that the database has not applied yet (readiness). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
