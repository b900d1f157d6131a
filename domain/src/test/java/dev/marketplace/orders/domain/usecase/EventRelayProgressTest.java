package dev.marketplace.orders.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay lease and the confirmed position, on MariaDB: one holder at a time, by the database's clock, and only the holder moves the position, only forward. */
class EventRelayProgressTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static HikariDataSource dataSource;
  private static Transactor transactor;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
    transactor = Transactor.over(dataSource, Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    dataSource.close();
  }

  @Test
  void oneHolderAtATime_onlyTheHolderConfirms_onlyForward_andAReleasedLeaseIsTakenWithItsPosition() {
    EventRelayProgress a = new EventRelayProgress(transactor, "relay-one", "a", LEASE);
    EventRelayProgress b = new EventRelayProgress(transactor, "relay-one", "b", LEASE);

    assertThat(a.acquire()).as("the first relay starts at 0").contains(0L);
    assertThat(b.acquire()).as("held by a").isEmpty();
    assertThat(a.acquire()).as("a extends its own lease").contains(0L);
    assertThat(a.renew()).isTrue();
    assertThat(b.renew()).isFalse();

    assertThat(a.confirm(40)).isTrue();
    assertThat(b.confirm(90)).as("b does not hold the lease").isFalse();
    assertThat(a.confirm(30)).as("never backwards").isFalse();
    assertThat(a.standing().confirmedPosition()).isEqualTo(40);
    assertThat(a.standing().leaseHolder()).contains("a");

    a.release();
    assertThat(a.standing().leaseHolder()).isEmpty();
    assertThat(a.confirm(50)).as("released: fenced off").isFalse();
    assertThat(b.acquire()).as("b resumes after a's confirmed position").contains(40L);
    assertThat(a.acquire()).isEmpty();
  }

  @Test
  void anExpiredLease_byTheDatabasesClock_isTakenOver_andItsOldHolderCanNeitherRenewNorConfirm() throws Exception {
    EventRelayProgress a = new EventRelayProgress(transactor, "relay-two", "a", LEASE);
    EventRelayProgress b = new EventRelayProgress(transactor, "relay-two", "b", LEASE);
    assertThat(a.acquire()).contains(0L);
    assertThat(a.confirm(7)).isTrue();

    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("UPDATE event_relays SET lease_expires_at = NOW(6) - INTERVAL 1 MICROSECOND WHERE name = 'relay-two'")) {
      s.executeUpdate();
    }
    assertThat(a.standing().leaseHolder()).as("expired: nobody holds it").isEmpty();
    assertThat(a.renew()).as("an expired lease is not renewed").isFalse();

    assertThat(b.acquire()).isEqualTo(Optional.of(7L));
    assertThat(a.confirm(9)).isFalse();
    assertThat(b.confirm(9)).isTrue();
    assertThat(b.standing().confirmedPosition()).isEqualTo(9);
    assertThat(new EventRelayProgress(transactor, "relay-one-other", "a", LEASE).acquire()).as("relays are independent").contains(0L);
  }
}
