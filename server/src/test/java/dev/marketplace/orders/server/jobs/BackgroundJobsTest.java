package dev.marketplace.orders.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.domain.usecase.EventFeed;
import dev.marketplace.orders.server.config.BackgroundJobSettings;
import dev.marketplace.orders.server.config.FeedSettings;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.wiring.OrdersServer;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The background jobs start together, health answers for the database at once, and closing stops every one of them. */
class BackgroundJobsTest {

  private static final List<String> JOB_THREADS = List.of("database-health", "deadline-sweeper", "idempotency-cleaner");

  @Test
  void startedTogether_healthServingAtOnce_andClosedTogether() throws Exception {
    try (GrpcTestServer server = new GrpcTestServer()) {
      HealthStatusManager health = server.injector.getInstance(HealthStatusManager.class);
      BackgroundJobSettings settings =
          new BackgroundJobSettings(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofDays(7), Duration.ofMinutes(1));

      BackgroundJobs jobs =
          BackgroundJobs.start(
              settings,
              server.dataSource(),
              health,
              OrdersServer.BUSINESS_SERVICES,
              server.injector.getInstance(DeadlineExpiry.class),
              server.injector.getInstance(Transactor.class),
              server.clock,
              FeedSettings.defaults(),
              server.injector.getInstance(EventFeed.class));
      try {
        assertThat(HealthGrpc.newBlockingStub(server.channel()).check(HealthCheckRequest.newBuilder().setService("orders.v1.OrderService").build()).getStatus())
            .as("probed once before start returns")
            .isEqualTo(ServingStatus.SERVING);
        assertThat(jobThreads()).containsExactlyInAnyOrderElementsOf(JOB_THREADS);
      } finally {
        jobs.close();
      }

      assertThat(jobThreads()).as("close waits for every job to stop").isEmpty();
    }
  }

  private static Set<String> jobThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(JOB_THREADS::contains)
        .collect(Collectors.toSet());
  }
}
