package dev.marketplace.orders.server.cancellation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancellationEligibility.Alternative;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import io.grpc.StatusRuntimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * orders.v1.CancellationService end to end, one flow per test class: real channel, real tokens, real
 * Guice wiring, MariaDB. Each test class starts a server of its own (on a fresh database) before its
 * tests and stops it after them; test classes run one at a time.
 *
 * <p>The tests of a class share its server and move its clock by minutes at most, so no other test's
 * request ever reaches its 72-hour deadline; tests about the deadline start servers of their own.
 */
abstract class CancellationServiceFixture {

  static final Duration WINDOW = Duration.ofHours(72);
  static final Duration PAYMENT_RETRY = Duration.ofMinutes(15);
  static final List<Alternative> AFTER_SHIPMENT =
      List.of(Alternative.TRACK_SHIPMENT, Alternative.CONTACT_SELLER, Alternative.OPEN_DISPUTE, Alternative.RETURN_AFTER_DELIVERY);

  static GrpcTestServer server;
  static Marketplace market;
  static Rows rows;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
    market = Marketplace.of(server);
    rows = Rows.of(server.dataSource());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Errors failure(Runnable call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).as("the call should have failed").isInstanceOf(StatusRuntimeException.class);
    return Errors.of(thrown);
  }

  static List<String> alternatives(Errors error) {
    return Arrays.asList(error.errorInfo().getMetadataOrDefault("alternatives", "").split(","));
  }

  static RecordRefundResultRequest completed(String refundId) {
    return RecordRefundResultRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setRefundId(refundId)
        .setOutcome(RecordRefundResultRequest.Outcome.COMPLETED)
        .build();
  }

  /** Business days are Monday to Friday, counted from the day after. */
  static Instant plusBusinessDays(Instant start, int days) {
    ZonedDateTime t = start.atZone(ZoneOffset.UTC);
    int left = days;
    while (left > 0) {
      t = t.plusDays(1);
      if (t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY) {
        left--;
      }
    }
    return t.toInstant();
  }

  static OrderEvent lastEvent(String subject, Role role, String orderId) {
    List<OrderEvent> history = market.history(subject, role, orderId);
    return history.get(history.size() - 1);
  }
}
