package dev.marketplace.orders.server.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.marketplace.orders.domain.error.DeadlineExceededException;
import dev.marketplace.orders.domain.error.StorageUnavailableException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

  private final ErrorMapper mapper = new ErrorMapper();

  @Test
  void databaseOutage_isUnavailableWithRetryInfo_andNoSqlDetail() throws Exception {
    Status status =
        mapper.toStatus(new StorageUnavailableException(new SQLTransientConnectionException("orders-db - Connection is not available, request timed out after 3000ms (SELECT * FROM orders)")));

    assertThat(status.getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
    assertThat(status.getMessage()).doesNotContain("SELECT").doesNotContain("orders-db");
    assertThat(status.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("STORAGE_UNAVAILABLE");
    assertThat(status.getDetailsList().stream().anyMatch(d -> d.is(RetryInfo.class))).isTrue();
  }

  @Test
  void statementStoppedAtTheDeadline_isDeadlineExceeded_sayingNothingChanged() throws Exception {
    Status status = mapper.toStatus(new DeadlineExceededException(new java.sql.SQLTimeoutException("Statement cancelled due to timeout")));

    assertThat(status.getCode()).isEqualTo(Code.DEADLINE_EXCEEDED_VALUE);
    assertThat(status.getMessage()).contains("nothing was changed").doesNotContain("Statement");
    assertThat(status.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("DEADLINE_EXCEEDED");
  }

  @Test
  void unexpectedErrors_areInternal_withAnIncidentIdOnly() throws Exception {
    Status status = mapper.toStatus(new IllegalStateException("SELECT secret FROM users at com.example.Foo"));

    assertThat(status.getCode()).isEqualTo(Code.INTERNAL_VALUE);
    assertThat(status.getMessage()).startsWith("internal error; incident ").doesNotContain("SELECT").doesNotContain("IllegalState");
    ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
    assertThat(info.getReason()).isEqualTo("INTERNAL_ERROR");
    assertThat(info.getDomain()).isEqualTo(ErrorMapper.DOMAIN);
    assertThat(status.getMessage()).contains(info.getMetadataOrThrow("incident"));
  }

  @Test
  void aRateLimit_isResourceExhausted_withTheWaitAsRetryInfo() throws Exception {
    Status status =
        mapper.toStatus(
            new dev.marketplace.orders.domain.error.RateLimitedException(
                "MESSAGE_RATE_EXCEEDED", "at most 30 messages an hour", java.util.Map.of("limit", "30"), java.time.Duration.ofSeconds(125, 5_000_000)));

    assertThat(status.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
    assertThat(info.getReason()).isEqualTo("MESSAGE_RATE_EXCEEDED");
    assertThat(info.getMetadataOrThrow("limit")).isEqualTo("30");
    RetryInfo retry = status.getDetails(1).unpack(RetryInfo.class);
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(125);
    assertThat(retry.getRetryDelay().getNanos()).isEqualTo(5_000_000);
  }
}
