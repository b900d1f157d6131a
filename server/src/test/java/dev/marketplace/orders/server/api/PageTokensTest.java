package dev.marketplace.orders.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.order.OrderCursor;
import dev.marketplace.orders.domain.order.OrderState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every listing's cursor comes back from its token exactly, and only for the query it was issued for. */
class PageTokensTest {

  private static final Instant AT = Instant.parse("2026-11-26T10:15:30.123456Z");

  private final PageTokens tokens = new PageTokens("a key for these tests".getBytes(StandardCharsets.UTF_8));

  @Test
  void eachListingsCursor_comesBackFromItsToken() {
    OrderCursor order = new OrderCursor(AT, UUID.randomUUID());
    CancellationRequestCursor request = new CancellationRequestCursor(true, AT, UUID.randomUUID());

    assertThat(tokens.after(PageTokens.ORDERS, "q", tokens.next(PageTokens.ORDERS, "q", order))).contains(order);
    assertThat(tokens.after(PageTokens.CANCELLATION_REQUESTS, "q", tokens.next(PageTokens.CANCELLATION_REQUESTS, "q", request)))
        .contains(request);
    assertThat(tokens.after(PageTokens.ORDER_EVENTS, "q", tokens.next(PageTokens.ORDER_EVENTS, "q", 42L))).contains(42L);
  }

  @Test
  void noToken_isTheFirstPage() {
    assertThat(tokens.after(PageTokens.ORDERS, "q", "")).isEmpty();
  }

  @Test
  void aTokenOfAnotherQuery_orEditedByHand_isRefused() {
    String token = tokens.next(PageTokens.ORDER_EVENTS, PageTokens.binding("BUYER:b1", "order-1"), 7L);
    char last = token.charAt(token.length() - 1);
    String edited = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

    assertThatThrownBy(() -> tokens.after(PageTokens.ORDER_EVENTS, PageTokens.binding("BUYER:b2", "order-1"), token))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("belongs to a different query");
    assertThatThrownBy(() -> tokens.after(PageTokens.ORDER_EVENTS, PageTokens.binding("BUYER:b1", "order-1"), edited))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not a page token issued by this service");
    assertThatThrownBy(() -> new PageTokens(new byte[] {1}).after(PageTokens.ORDER_EVENTS, "q", tokens.next(PageTokens.ORDER_EVENTS, "q", 7L)))
        .as("another key: another deployment's token")
        .hasMessageContaining("not a page token issued by this service");
  }

  @Test
  void aSetFilter_bindsTheSameInAnyOrder() {
    assertThat(PageTokens.part(EnumSet.of(OrderState.SHIPPED, OrderState.AWAITING_PAYMENT)))
        .isEqualTo(PageTokens.part(EnumSet.of(OrderState.AWAITING_PAYMENT, OrderState.SHIPPED)))
        .isEqualTo("AWAITING_PAYMENT,SHIPPED");
    assertThat(PageTokens.part(EnumSet.noneOf(CancellationRequestState.class))).isEmpty();
  }
}
