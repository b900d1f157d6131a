package dev.marketplace.orders.domain.persistence;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the versioned schema migrations in {@code db/migration}: the only way the schema changes. */
public final class DatabaseMigrations {

  private DatabaseMigrations() {}

  /** Migrates to the latest version; returns how many migrations were applied now. */
  public static int migrate(DataSource dataSource) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .failOnMissingLocations(true)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
