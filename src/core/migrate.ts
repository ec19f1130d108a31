import { Migrator, NO_MIGRATIONS, type Migration, type MigrationProvider } from "kysely/migration";
import type { Db } from "./db.ts";

/** A module's migrations: names start with a UTC timestamp and the module name (20261123_1400_catalog_init). */
export type ModuleMigrations = Record<string, Migration>;

class ModulesProvider implements MigrationProvider {
  constructor(private readonly sets: ModuleMigrations[]) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const all: Record<string, Migration> = {};
    for (const set of this.sets) {
      for (const [name, m] of Object.entries(set)) {
        if (all[name]) throw new Error(`duplicate migration name ${name}`);
        all[name] = m;
      }
    }
    return all;
  }
}

export interface MigrateResult {
  applied: string[];
}

export async function migrateToLatest(db: Db, sets: ModuleMigrations[]): Promise<MigrateResult> {
  const migrator = new Migrator({ db, provider: new ModulesProvider(sets), migrationTableName: "gongshu_migrations", migrationLockTableName: "gongshu_migrations_lock" });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

export async function migrateDownAll(db: Db, sets: ModuleMigrations[]): Promise<MigrateResult> {
  const migrator = new Migrator({ db, provider: new ModulesProvider(sets), migrationTableName: "gongshu_migrations", migrationLockTableName: "gongshu_migrations_lock" });
  const { error, results } = await migrator.migrateTo(NO_MIGRATIONS);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}
