package dev.marketplace.orders.domain.conversation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Attachment references: absolute https URIs with a host and no user info, at most {@value
 * #MAX_LENGTH} characters. They are stored and shown, never fetched by this service.
 */
public final class AttachmentUris {

  public static final int MAX_LENGTH = 2048;

  private AttachmentUris() {}

  /** Why {@code value} is not an acceptable attachment URI, or empty when it is. */
  public static Optional<String> problem(String value) {
    if (value.isEmpty()) {
      return Optional.of("required: an https URI");
    }
    if (value.length() > MAX_LENGTH) {
      return Optional.of("at most " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return Optional.of("not a URI");
    }
    if (!uri.isAbsolute() || !"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
      return Optional.of("must be an absolute https URI");
    }
    if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("must not contain user info");
    }
    return Optional.empty();
  }
}
