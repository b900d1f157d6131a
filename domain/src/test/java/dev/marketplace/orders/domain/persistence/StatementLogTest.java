package dev.marketplace.orders.domain.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statement log holds what went to the driver: each statement, its bound values, and the transaction around it. */
class StatementLogTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:15:30Z"), ZoneOffset.UTC);
  private static HikariDataSource dataSource;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
  }

  @AfterAll
  static void close() {
    dataSource.close();
  }

  @Test
  void committedAndRolledBackTransactions_areLoggedWithEveryStatementAndItsValues(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("statements.jsonl");
    Order order = Order.place(new TimeOrderedIds(CLOCK).next(), SampleOrders.newOrder("buyer-log", "seller-log"), CLOCK.instant());
    try (StatementLog log = StatementLog.to(file)) {
      Transactor transactor = Transactor.over(dataSource, CLOCK, TimeBudget.UNLIMITED, Optional.of(log));
      transactor.inTransaction(uow -> {
        uow.orders().insert(order);
        return null;
      });
      catchThrowable(() -> transactor.inTransaction(uow -> {
        uow.orders().find(order.id());
        throw new IllegalStateException("changed my mind");
      }));
    }

    List<String> lines = Files.readAllLines(file);
    String orderIdHex = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
        .putLong(order.id().getMostSignificantBits()).putLong(order.id().getLeastSignificantBits()).array());
    assertThat(lines.get(0)).startsWith("{\"event\":\"begin\",\"tx\":1,");
    assertThat(lines).anySatisfy(l -> assertThat(l)
        .contains("\"event\":\"statement\",\"tx\":1,")
        .contains("insert into `orders`")
        .contains("[\"b\",\"" + orderIdHex + "\"]")
        // Party ids are VARBINARY (compared byte for byte): bound as their UTF-8 bytes.
        .contains("[\"b\",\"" + HexFormat.of().formatHex("buyer-log".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"]"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("insert into `order_lines`").contains("\"rows\":[["));
    assertThat(lines).contains(lines.stream().filter(l -> l.startsWith("{\"event\":\"commit\",\"tx\":1,")).findFirst().orElseThrow());
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"statement\",\"tx\":2,").contains("select"));
    assertThat(lines.get(lines.size() - 1)).startsWith("{\"event\":\"rollback\",\"tx\":2,");
  }
}
