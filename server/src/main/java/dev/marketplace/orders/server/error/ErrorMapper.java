package dev.marketplace.orders.server.error;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.AuthenticationFailedException;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.error.DeadlineExceededException;
import dev.marketplace.orders.domain.error.DomainException;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.error.RateLimitedException;
import dev.marketplace.orders.domain.error.RequestIdReusedException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.error.StorageUnavailableException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where outcomes become gRPC statuses (AIP-193). Every error carries exactly one
 * {@link ErrorInfo} (UPPER_SNAKE reason, domain {@value #DOMAIN}, lowerCamel metadata), plus
 * {@link BadRequest} for invalid fields, {@link PreconditionFailure} for state conflicts and
 * {@link RetryInfo} where waiting helps. Anything unexpected is logged with its stack trace and
 * answered INTERNAL with an incident id only.
 *
 * <pre>
 * InvalidRequestException, RequestIdReusedException -> INVALID_ARGUMENT
 * AuthenticationFailedException                    -> UNAUTHENTICATED
 * AccessDeniedException                            -> PERMISSION_DENIED
 * NotFoundException                                -> NOT_FOUND
 * StateConflictException                           -> FAILED_PRECONDITION
 * ConcurrentChangeException                        -> ABORTED
 * RateLimitedException                             -> RESOURCE_EXHAUSTED (retry after its delay)
 * StorageUnavailableException                      -> UNAVAILABLE (retry after 1 s)
 * DeadlineExceededException                        -> DEADLINE_EXCEEDED (nothing was changed)
 * anything else                                    -> INTERNAL
 * </pre>
 */
public final class ErrorMapper {

  public static final String DOMAIN = "orders.marketplace.dev";
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
  private static final Duration STORAGE_RETRY_DELAY = Duration.newBuilder().setSeconds(1).build();

  public StatusRuntimeException toStatusException(Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    return StatusProto.toStatusRuntimeException(toStatus(error));
  }

  /** For a stream ended because this server is stopping: UNAVAILABLE, to be resumed on another replica. */
  public StatusRuntimeException serverStopping() {
    return StatusProto.toStatusRuntimeException(
        Status.newBuilder()
            .setCode(Code.UNAVAILABLE_VALUE)
            .setMessage("this server is stopping; resume from the last resume_token received")
            .addDetails(Any.pack(errorInfo("SERVER_STOPPING", Map.of())))
            .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(STORAGE_RETRY_DELAY).build()))
            .build());
  }

  Status toStatus(Throwable error) {
    if (error instanceof DomainException domain) {
      return fromDomain(domain);
    }
    String incident = UUID.randomUUID().toString();
    log.error("internal error, incident {}", incident, error);
    return Status.newBuilder()
        .setCode(Code.INTERNAL_VALUE)
        .setMessage("internal error; incident " + incident)
        .addDetails(Any.pack(errorInfo("INTERNAL_ERROR", Map.of("incident", incident))))
        .build();
  }

  private Status fromDomain(DomainException e) {
    Status.Builder status =
        Status.newBuilder()
            .setCode(code(e).getNumber())
            .setMessage(e.getMessage())
            .addDetails(Any.pack(errorInfo(e.reason(), e.metadata())));
    if (e instanceof InvalidRequestException invalid) {
      BadRequest.Builder badRequest = BadRequest.newBuilder();
      for (FieldViolation v : invalid.violations()) {
        badRequest.addFieldViolations(
            BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description()));
      }
      status.addDetails(Any.pack(badRequest.build()));
    } else if (e instanceof RequestIdReusedException) {
      status.addDetails(
          Any.pack(
              BadRequest.newBuilder()
                  .addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField("request_id")
                          .setDescription("already used for a different request; generate a new one"))
                  .build()));
    } else if (e instanceof StateConflictException conflict) {
      status.addDetails(
          Any.pack(
              PreconditionFailure.newBuilder()
                  .addViolations(
                      PreconditionFailure.Violation.newBuilder()
                          .setType(conflict.violationType())
                          .setSubject(conflict.subject())
                          .setDescription(e.getMessage()))
                  .build()));
      conflict
          .retryDelay()
          .ifPresent(
              delay ->
                  status.addDetails(
                      Any.pack(
                          RetryInfo.newBuilder()
                              .setRetryDelay(
                                  Duration.newBuilder()
                                      .setSeconds(delay.getSeconds())
                                      .setNanos(delay.getNano()))
                              .build())));
    } else if (e instanceof RateLimitedException limited) {
      status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(protoDuration(limited.retryDelay())).build()));
    } else if (e instanceof StorageUnavailableException) {
      log.warn("database unavailable: {}", rootMessage(e));
      status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(STORAGE_RETRY_DELAY).build()));
    }
    return status.build();
  }

  private static Code code(DomainException e) {
    if (e instanceof InvalidRequestException || e instanceof RequestIdReusedException) {
      return Code.INVALID_ARGUMENT;
    } else if (e instanceof AuthenticationFailedException) {
      return Code.UNAUTHENTICATED;
    } else if (e instanceof AccessDeniedException) {
      return Code.PERMISSION_DENIED;
    } else if (e instanceof NotFoundException) {
      return Code.NOT_FOUND;
    } else if (e instanceof StateConflictException) {
      return Code.FAILED_PRECONDITION;
    } else if (e instanceof ConcurrentChangeException) {
      return Code.ABORTED;
    } else if (e instanceof RateLimitedException) {
      return Code.RESOURCE_EXHAUSTED;
    } else if (e instanceof StorageUnavailableException) {
      return Code.UNAVAILABLE;
    } else if (e instanceof DeadlineExceededException) {
      return Code.DEADLINE_EXCEEDED;
    }
    throw new IllegalArgumentException("unmapped outcome " + e.getClass().getSimpleName());
  }

  private static Duration protoDuration(java.time.Duration delay) {
    return Duration.newBuilder().setSeconds(delay.getSeconds()).setNanos(delay.getNano()).build();
  }

  private static ErrorInfo errorInfo(String reason, Map<String, String> metadata) {
    return ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).putAllMetadata(metadata).build();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
