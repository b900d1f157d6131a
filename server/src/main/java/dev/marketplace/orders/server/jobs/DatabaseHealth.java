package dev.marketplace.orders.server.jobs;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps gRPC health in step with the database: SERVING while a connection can be had and answers,
 * NOT_SERVING otherwise. Applies to the whole server ("") and to each business service.
 */
public final class DatabaseHealth implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);

  private final DataSource dataSource;
  private final HealthStatusManager health;
  private final List<String> services;
  private final PeriodicTask task = new PeriodicTask("database-health");
  private volatile Boolean lastUp;

  public DatabaseHealth(DataSource dataSource, HealthStatusManager health, List<String> services) {
    this.dataSource = dataSource;
    this.health = health;
    this.services = List.copyOf(services);
  }

  public void start(Duration interval) {
    check();
    task.start(this::check, interval, interval);
  }

  /** Probes the database once and publishes the result. */
  public boolean check() {
    boolean up;
    try (Connection c = dataSource.getConnection()) {
      up = c.isValid(1);
    } catch (Exception e) {
      up = false;
    }
    ServingStatus status = up ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    services.forEach(service -> health.setStatus(service, status));
    if (lastUp == null || lastUp != up) {
      if (up) {
        log.info("database reachable: health SERVING");
      } else {
        log.warn("database unreachable: health NOT_SERVING");
      }
      lastUp = up;
    }
    return up;
  }

  @Override
  public void close() {
    task.close();
  }
}
