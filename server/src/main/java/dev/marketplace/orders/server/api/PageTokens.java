package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.conversation.ConversationCursor;
import dev.marketplace.orders.domain.dispute.DisputeCursor;
import dev.marketplace.orders.domain.returns.ReturnCursor;
import dev.marketplace.orders.domain.support.SupportCaseCursor;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.modification.ModificationCursor;
import dev.marketplace.orders.domain.order.OrderCursor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one codec of the listings' page tokens: a listing's cursor (where the next page starts) packed
 * into bytes, bound to the query it continues (a hash of the caller and the filters), signed with
 * HMAC-SHA256, written as URL-safe base64. A token edited by hand, or used with other filters or by
 * another caller, is refused with INVALID_ARGUMENT instead of being trusted.
 */
public final class PageTokens {

  /** How one listing's cursor is packed into a token and read back. */
  record Listing<C>(int size, BiConsumer<ByteBuffer, C> write, Function<ByteBuffer, C> read) {}

  /** ListOrders: newest first, by creation time, then order id. */
  static final Listing<OrderCursor> ORDERS =
      new Listing<>(
          24,
          (out, cursor) -> putUuid(putInstant(out, cursor.createdAt()), cursor.orderId()),
          in -> new OrderCursor(instant(in), uuid(in)));

  /** ListCancellationRequests: PENDING first, then by deadline, then request id. */
  static final Listing<CancellationRequestCursor> CANCELLATION_REQUESTS =
      new Listing<>(
          25,
          (out, cursor) ->
              putUuid(putInstant(out.put((byte) (cursor.pending() ? 0 : 1)), cursor.respondBy()), cursor.cancellationRequestId()),
          in -> {
            boolean pending = in.get() == 0;
            Instant respondBy = instant(in);
            return new CancellationRequestCursor(pending, respondBy, uuid(in));
          });

  /** ListModifications: PROPOSED first, then by deadline, then modification id. */
  static final Listing<ModificationCursor> MODIFICATIONS =
      new Listing<>(
          25,
          (out, cursor) -> putUuid(putInstant(out.put((byte) (cursor.open() ? 0 : 1)), cursor.respondBy()), cursor.modificationId()),
          in -> {
            boolean open = in.get() == 0;
            Instant respondBy = instant(in);
            return new ModificationCursor(open, respondBy, uuid(in));
          });

  /** ListDisputes: by rank (awaiting the parties, escalated, closed), then by deadline, then dispute id. */
  static final Listing<DisputeCursor> DISPUTES =
      new Listing<>(
          25,
          (out, cursor) -> putUuid(putInstant(out.put((byte) cursor.rank()), cursor.respondBy()), cursor.disputeId()),
          in -> {
            int rank = in.get();
            Instant respondBy = instant(in);
            return new DisputeCursor(rank, respondBy, uuid(in));
          });

  /** ListReturns: by rank (open, closed), then oldest first, then return id. */
  static final Listing<ReturnCursor> RETURNS =
      new Listing<>(
          25,
          (out, cursor) -> putUuid(putInstant(out.put((byte) cursor.rank()), cursor.createdAt()), cursor.returnId()),
          in -> {
            int rank = in.get();
            Instant createdAt = instant(in);
            return new ReturnCursor(rank, createdAt, uuid(in));
          });

  /** ListSupportCases: oldest first, by creation time, then case id. */
  static final Listing<SupportCaseCursor> SUPPORT_CASES =
      new Listing<>(
          24,
          (out, cursor) -> putUuid(putInstant(out, cursor.createdAt()), cursor.caseId()),
          in -> new SupportCaseCursor(instant(in), uuid(in)));

  /** ListOrderEvents: by sequence; the cursor is the last sequence read. */
  static final Listing<Long> ORDER_EVENTS = new Listing<>(8, ByteBuffer::putLong, ByteBuffer::getLong);

  /** ListMessages: oldest first, by sequence; the cursor is the last sequence number read. */
  static final Listing<Long> MESSAGES = new Listing<>(8, ByteBuffer::putLong, ByteBuffer::getLong);

  /** ListConversations: newest activity first, by last message time, then order id (both descending). */
  static final Listing<ConversationCursor> CONVERSATIONS =
      new Listing<>(
          24,
          (out, cursor) -> putUuid(putInstant(out, cursor.lastMessageAt()), cursor.orderId()),
          in -> new ConversationCursor(instant(in), uuid(in)));

  private static final String FIELD = "page_token";
  private static final int MAC_LENGTH = 16;
  private static final int BINDING_LENGTH = 8;

  private final byte[] key;

  public PageTokens(byte[] key) {
    this.key = key.clone();
  }

  /**
   * The query a token is bound to: its parts - the caller, then the filters - joined, an absent
   * filter as an empty part. A token binds exactly the parts it was issued for.
   */
  static String binding(String... parts) {
    return String.join("|", parts);
  }

  /** A filter of several values as one binding part: the same set in any order is the same part. */
  static String part(Set<? extends Enum<?>> values) {
    return values.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
  }

  /** Where the page asked for starts: the cursor {@code pageToken} carries, or empty for the first page (no token). */
  <C> Optional<C> after(Listing<C> listing, String binding, String pageToken) {
    return pageToken.isEmpty() ? Optional.empty() : Optional.of(listing.read().apply(ByteBuffer.wrap(decode(binding, pageToken))));
  }

  /** The token of the page after {@code cursor}, in the query described by {@code binding}. */
  <C> String next(Listing<C> listing, String binding, C cursor) {
    ByteBuffer position = ByteBuffer.allocate(listing.size());
    listing.write().accept(position, cursor);
    return encode(binding, position.array());
  }

  private String encode(String binding, byte[] position) {
    ByteBuffer payload = ByteBuffer.allocate(BINDING_LENGTH + position.length);
    payload.put(bindingHash(binding)).put(position);
    byte[] body = payload.array();
    byte[] token = Arrays.copyOf(body, body.length + MAC_LENGTH);
    System.arraycopy(mac(body), 0, token, body.length, MAC_LENGTH);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /** The position of a token issued for the same {@code binding}; refuses anything else. */
  private byte[] decode(String binding, String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (raw.length < BINDING_LENGTH + MAC_LENGTH) {
      throw invalid();
    }
    byte[] body = Arrays.copyOf(raw, raw.length - MAC_LENGTH);
    byte[] mac = Arrays.copyOfRange(raw, raw.length - MAC_LENGTH, raw.length);
    if (!MessageDigest.isEqual(mac, Arrays.copyOf(mac(body), MAC_LENGTH))) {
      throw invalid();
    }
    if (!MessageDigest.isEqual(Arrays.copyOf(body, BINDING_LENGTH), bindingHash(binding))) {
      throw InvalidRequestException.of(
          FIELD, "this page token belongs to a different query; repeat the same filters or start over");
    }
    return Arrays.copyOfRange(body, BINDING_LENGTH, body.length);
  }

  private static InvalidRequestException invalid() {
    return InvalidRequestException.of(FIELD, "not a page token issued by this service");
  }

  private byte[] bindingHash(String binding) {
    return Arrays.copyOf(mac(("binding:" + binding).getBytes(StandardCharsets.UTF_8)), BINDING_LENGTH);
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static ByteBuffer putInstant(ByteBuffer out, Instant instant) {
    return out.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
  }

  private static Instant instant(ByteBuffer in) {
    return Instant.EPOCH.plus(in.getLong(), ChronoUnit.MICROS);
  }

  private static ByteBuffer putUuid(ByteBuffer out, UUID id) {
    return out.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
  }

  private static UUID uuid(ByteBuffer in) {
    return new UUID(in.getLong(), in.getLong());
  }
}
