package dev.marketplace.orders.server.testing;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.dispute.DisputeSettings;
import dev.marketplace.orders.domain.persistence.StatementLog;
import dev.marketplace.orders.domain.returns.ReturnSettings;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.auth.AuthInterceptor;
import dev.marketplace.orders.server.auth.AuthSettings;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ConversationConfig;
import dev.marketplace.orders.server.config.FeedSettings;
import dev.marketplace.orders.server.feed.EventStreams;
import dev.marketplace.orders.server.wiring.OrdersModule;
import dev.marketplace.orders.server.wiring.OrdersServer;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real service, wired by the production Guice module, on a fresh MariaDB database, served
 * in-process: calls go through the real channel, interceptors, error mapping and persistence. The
 * clock is a {@link MutableClock}, so tests control time.
 */
public final class GrpcTestServer implements AutoCloseable {

  public static final String SECRET = "test-secret-0123456789-0123456789-abcdef";

  public final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  public final TokenIssuer tokens = new TokenIssuer(SECRET, clock);
  public final Injector injector;
  private final HikariDataSource dataSource;
  private final ThreadPoolExecutor handlers;
  private final Server server;
  private final ManagedChannel channel;

  public GrpcTestServer() throws IOException {
    this(16, 1000, CancellationSettings.defaults());
  }

  public GrpcTestServer(CancellationSettings settings) throws IOException {
    this(16, 1000, settings);
  }

  public GrpcTestServer(int handlerThreads, int maxInFlight) throws IOException {
    this(handlerThreads, maxInFlight, CancellationSettings.defaults());
  }

  /** With {@code handlerThreads} handler threads, at most {@code maxInFlight} calls admitted, and these cancellation rules. */
  public GrpcTestServer(int handlerThreads, int maxInFlight, CancellationSettings settings) throws IOException {
    this(handlerThreads, maxInFlight, settings, Optional.empty());
  }

  /** Writing every transaction and statement to {@code statementLog} (see {@link StatementLog}). */
  public GrpcTestServer(StatementLog statementLog) throws IOException {
    this(16, 1000, CancellationSettings.defaults(), Optional.of(statementLog));
  }

  /** With these conversation settings (rate limit, translator). */
  public GrpcTestServer(ConversationConfig conversations) throws IOException {
    this(16, 1000, CancellationSettings.defaults(), conversations, Optional.empty());
  }

  /** With these conversation settings, writing every transaction and statement to {@code statementLog}. */
  public GrpcTestServer(ConversationConfig conversations, StatementLog statementLog) throws IOException {
    this(16, 1000, CancellationSettings.defaults(), conversations, Optional.of(statementLog));
  }

  /** With these dispute durations (the protection window, the escalation delay, the response window). */
  public GrpcTestServer(DisputeSettings disputes) throws IOException {
    this(16, 1000, CancellationSettings.defaults(), ConversationConfig.defaults(), disputes, ReturnSettings.defaults(), Optional.empty());
  }

  /** With these return durations (the return window, the seller's response window, the receipt window). */
  public GrpcTestServer(ReturnSettings returns) throws IOException {
    this(16, 1000, CancellationSettings.defaults(), ConversationConfig.defaults(), DisputeSettings.defaults(), returns, Optional.empty());
  }

  /** With these feed settings (WatchOrderEvents: poll rhythm, heartbeats, stream limits, buffer). */
  public GrpcTestServer(FeedSettings feed) throws IOException {
    this(16, 1000, CancellationSettings.defaults(), ConversationConfig.defaults(), DisputeSettings.defaults(), ReturnSettings.defaults(), feed, Optional.empty());
  }

  private GrpcTestServer(int handlerThreads, int maxInFlight, CancellationSettings settings, Optional<StatementLog> statementLog)
      throws IOException {
    this(handlerThreads, maxInFlight, settings, ConversationConfig.defaults(), statementLog);
  }

  private GrpcTestServer(
      int handlerThreads, int maxInFlight, CancellationSettings settings, ConversationConfig conversations, Optional<StatementLog> statementLog)
      throws IOException {
    this(handlerThreads, maxInFlight, settings, conversations, DisputeSettings.defaults(), ReturnSettings.defaults(), statementLog);
  }

  private GrpcTestServer(
      int handlerThreads,
      int maxInFlight,
      CancellationSettings settings,
      ConversationConfig conversations,
      DisputeSettings disputes,
      ReturnSettings returns,
      Optional<StatementLog> statementLog)
      throws IOException {
    this(handlerThreads, maxInFlight, settings, conversations, disputes, returns, FeedSettings.defaults(), statementLog);
  }

  private GrpcTestServer(
      int handlerThreads,
      int maxInFlight,
      CancellationSettings settings,
      ConversationConfig conversations,
      DisputeSettings disputes,
      ReturnSettings returns,
      FeedSettings feed,
      Optional<StatementLog> statementLog)
      throws IOException {
    handlers = (ThreadPoolExecutor) Executors.newFixedThreadPool(handlerThreads);
    dataSource = TestDatabase.migratedDataSource();
    injector =
        Guice.createInjector(
            new OrdersModule(dataSource, clock, AuthSettings.hs256(SECRET), SECRET, settings, conversations, disputes, returns, statementLog)
                .withFeed(feed));
    String name = InProcessServerBuilder.generateName();
    server =
        injector.getInstance(OrdersServer.class)
            .build(InProcessServerBuilder.forName(name), handlers, maxInFlight)
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  /**
   * Waits until every task already handed to the handler executor has run (the executor is FIFO), so
   * a test can look at the database knowing no call queued before now will still start.
   */
  public void awaitQueuedHandlers() throws Exception {
    handlers.submit(() -> {}).get(10, TimeUnit.SECONDS);
  }

  /** Calls admitted to the handler executor that wait for a handler thread. */
  public int queuedHandlers() {
    return handlers.getQueue().size();
  }

  public ManagedChannel channel() {
    return channel;
  }

  public String token(String subject, Role role, String... scopes) {
    return tokens.issue(subject, role, List.of(scopes), Duration.ofHours(1));
  }

  public OrderServiceGrpc.OrderServiceBlockingStub orders(String token) {
    return OrderServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(token)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public OrderServiceGrpc.OrderServiceBlockingStub ordersAs(String subject, Role role, String... scopes) {
    return orders(token(subject, role, scopes));
  }

  public CancellationServiceGrpc.CancellationServiceBlockingStub cancellationsAs(String subject, Role role, String... scopes) {
    return CancellationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(bearer(token(subject, role, scopes)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public ConversationServiceGrpc.ConversationServiceBlockingStub conversationsAs(String subject, Role role, String... scopes) {
    return ConversationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(bearer(token(subject, role, scopes)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public ModificationServiceGrpc.ModificationServiceBlockingStub modificationsAs(String subject, Role role, String... scopes) {
    return ModificationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(bearer(token(subject, role, scopes)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public DisputeServiceGrpc.DisputeServiceBlockingStub disputesAs(String subject, Role role, String... scopes) {
    return DisputeServiceGrpc.newBlockingStub(channel)
        .withInterceptors(bearer(token(subject, role, scopes)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public SupportServiceGrpc.SupportServiceBlockingStub supportAs(String subject, Role role, String... scopes) {
    return SupportServiceGrpc.newBlockingStub(channel)
        .withInterceptors(bearer(token(subject, role, scopes)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** The async OrderService stub, for WatchOrderEvents (no deadline: streams run until ended). */
  public OrderServiceGrpc.OrderServiceStub ordersAsyncAs(String subject, Role role, String... scopes) {
    return OrderServiceGrpc.newStub(channel).withInterceptors(bearer(token(subject, role, scopes)));
  }

  public ReturnServiceGrpc.ReturnServiceBlockingStub returnsAs(String subject, Role role, String... scopes) {
    return ReturnServiceGrpc.newBlockingStub(channel)
        .withInterceptors(bearer(token(subject, role, scopes)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public static io.grpc.ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  @Override
  public void close() throws InterruptedException {
    injector.getInstance(EventStreams.class).close();
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    handlers.shutdownNow();
    dataSource.close();
  }
}
