package dev.marketplace.orders.server.hostile;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import dev.marketplace.orders.server.error.ErrorMapper;
import io.grpc.Status.Code;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is accepted as an answer to a hostile call (see {@link HostileInputTest}): the codes each kind
 * of case allows, exactly one ErrorInfo of the service's domain on a refusal, a readable size, and no
 * stack trace, class name or SQL in anything the caller gets back.
 */
final class Verdicts {

  private Verdicts() {}

  static final int MAX_DESCRIPTION = 2000;
  static final int MAX_STATUS_BYTES = 4000;

  enum Expect {
    CLIENT_ERROR_OR_OK,
    TAMPERED_TOKEN,
    FOREIGN_TOKEN,
    OTHER_USER,
    UNAUTHENTICATED,
    TOO_LARGE,
    REAL_TOKEN
  }

  static final Set<Code> CLIENT_CODES =
      EnumSet.of(
          Code.OK,
          Code.INVALID_ARGUMENT,
          Code.NOT_FOUND,
          Code.FAILED_PRECONDITION,
          Code.PERMISSION_DENIED,
          Code.UNAUTHENTICATED,
          Code.OUT_OF_RANGE,
          Code.RESOURCE_EXHAUSTED);

  // ---- one call ----

  record Outcome(Status status, com.google.rpc.Status details, byte[] response) {
    Code code() {
      return status.getCode();
    }

    Optional<ErrorInfo> errorInfo() {
      return details == null
          ? Optional.empty()
          : details.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst().map(a -> unpack(a, ErrorInfo.class));
    }
  }

  record Case(Rpc rpc, String caller, String request, Expect expect, List<String> echoes) {}

  /**
   * What is wrong with this answer in this case; nothing for an acceptable one. {@code secrets} are
   * B1's and S1's ids and names, which another user's answer must not contain.
   */
  static List<String> problems(Case c, Outcome outcome, Supplier<List<String>> secrets) {
    List<String> problems = new ArrayList<>();
    Code code = outcome.code();
    Optional<String> reason = outcome.errorInfo().map(ErrorInfo::getReason);
    boolean accepted =
        switch (c.expect()) {
          case CLIENT_ERROR_OR_OK ->
              CLIENT_CODES.contains(code) || (code == Code.ABORTED && reason.equals(Optional.of("ETAG_MISMATCH")));
          case TAMPERED_TOKEN -> code == Code.INVALID_ARGUMENT;
          case FOREIGN_TOKEN -> code == Code.INVALID_ARGUMENT || code == Code.NOT_FOUND || code == Code.PERMISSION_DENIED;
          case OTHER_USER ->
              code == Code.NOT_FOUND
                  || code == Code.PERMISSION_DENIED
                  || (code == Code.OK && secrets.get().stream().noneMatch(s -> contains(outcome.response(), s)));
          case UNAUTHENTICATED -> code == Code.UNAUTHENTICATED;
          case TOO_LARGE -> code == Code.RESOURCE_EXHAUSTED;
          case REAL_TOKEN -> code == Code.OK;
        };
    if (!accepted) {
      problems.add("code " + code + " is not acceptable for " + c.expect());
    }
    if (code == Code.OK) {
      return problems;
    }
    String description = String.valueOf(outcome.status().getDescription());
    // docs/api.md: every error carries exactly one ErrorInfo of the service's domain. Only the
    // transport's own refusal of an oversized message (before the service) has none.
    List<ErrorInfo> infos =
        outcome.details() == null
            ? List.of()
            : outcome.details().getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).map(a -> unpack(a, ErrorInfo.class)).toList();
    boolean transportRefusal = code == Code.RESOURCE_EXHAUSTED && infos.isEmpty();
    if (!transportRefusal && (infos.size() != 1 || !infos.get(0).getDomain().equals(ErrorMapper.DOMAIN))) {
      problems.add("expected exactly one ErrorInfo of domain " + ErrorMapper.DOMAIN + ", got " + infos);
    }
    if (description.length() > MAX_DESCRIPTION) {
      problems.add("message of " + description.length() + " characters");
    }
    if (outcome.details() != null && outcome.details().getSerializedSize() > MAX_STATUS_BYTES) {
      problems.add("status of " + outcome.details().getSerializedSize() + " bytes");
    }
    for (String text : texts(outcome)) {
      String unquoted = withoutEchoes(text, c.echoes());
      for (Pattern leak : LEAKS) {
        Matcher m = leak.matcher(unquoted);
        while (m.find()) {
          if (!isApiName(m.group())) {
            problems.add("leaks " + Describe.text(m.group()) + " in " + Describe.text(excerpt(unquoted, m.start())));
            break;
          }
        }
      }
    }
    return problems;
  }

  // ---- leak detection ----

  private static final List<Pattern> LEAKS =
      List.of(
          Pattern.compile("\tat |\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|\\.java:\\d*|Caused by:"),
          Pattern.compile("\\b[A-Z][A-Za-z0-9]*(Exception|Error)\\b"),
          Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][\\w$]*"),
          Pattern.compile(
              "(?i)\\b(select\\b.*\\bfrom|insert\\s+into|update\\b.*\\bset|delete\\s+from|sqlstate|sql\\w*|jooq|jdbc|mariadb|mysql|hikari"
                  + "|syntax|constraint|duplicate entry|data too long|incorrect string value|deadlock|foreign key|table|column)\\b"));

  /** Service, method and message names of the API itself are not leaks. */
  private static boolean isApiName(String match) {
    return match.startsWith("orders.v1.") || match.startsWith("grpc.") || match.startsWith("google.");
  }

  private static List<String> texts(Outcome outcome) {
    List<String> texts = new ArrayList<>();
    texts.add(String.valueOf(outcome.status().getDescription()));
    if (outcome.details() != null) {
      texts.add(outcome.details().getMessage());
      for (Any any : outcome.details().getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          ErrorInfo info = unpack(any, ErrorInfo.class);
          texts.add(info.getReason());
          texts.addAll(info.getMetadataMap().values());
        } else if (any.is(BadRequest.class)) {
          for (BadRequest.FieldViolation v : unpack(any, BadRequest.class).getFieldViolationsList()) {
            texts.add(v.getField());
            texts.add(v.getDescription());
          }
        } else if (any.is(PreconditionFailure.class)) {
          for (PreconditionFailure.Violation v : unpack(any, PreconditionFailure.class).getViolationsList()) {
            texts.add(v.getType());
            texts.add(v.getSubject());
            texts.add(v.getDescription());
          }
        } else if (!any.getTypeUrl().endsWith("google.rpc.RetryInfo")) {
          texts.add(any.getTypeUrl());
        }
      }
    }
    return texts;
  }

  private static String withoutEchoes(String text, List<String> echoes) {
    String out = text;
    List<String> sorted = new ArrayList<>();
    for (String echo : echoes) {
      sorted.add(echo);
      sorted.add(echo.strip());
    }
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    for (String echo : sorted) {
      if (echo.length() >= 8) {
        out = out.replace(echo, "\u2026");
      }
    }
    return out;
  }

  private static String excerpt(String text, int at) {
    int from = Math.max(0, at - 40);
    return text.substring(from, Math.min(text.length(), at + 80));
  }

  private static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
