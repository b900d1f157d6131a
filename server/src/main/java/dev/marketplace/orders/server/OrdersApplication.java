package dev.marketplace.orders.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.persistence.DatabaseMigrations;
import dev.marketplace.orders.domain.persistence.StatementLog;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.domain.usecase.EventFeed;
import dev.marketplace.orders.domain.usecase.Orders;
import dev.marketplace.orders.server.auth.AuthSettings;
import dev.marketplace.orders.server.config.ConnectionSettings;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.server.feed.EventStreams;
import dev.marketplace.orders.server.config.StartupException;
import dev.marketplace.orders.server.config.TlsSettings;
import dev.marketplace.orders.server.config.TokenSecrets;
import dev.marketplace.orders.server.database.Database;
import dev.marketplace.orders.server.demo.DemoData;
import dev.marketplace.orders.server.jobs.BackgroundJobs;
import dev.marketplace.orders.server.wiring.OrdersModule;
import dev.marketplace.orders.server.wiring.OrdersServer;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the database ({@link Database}: embedded when no URL is configured), its
 * migrations, the Guice injector, the background jobs ({@link BackgroundJobs}: health, deadline sweep,
 * idempotency cleanup) and the gRPC server. {@link #close()} stops everything in reverse order of
 * start, letting in-flight calls finish within the configured grace period.
 */
public final class OrdersApplication implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OrdersApplication.class);

  private final ServerConfig config;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private Server server;
  private ThreadPoolExecutor handlers;
  private OrdersServer ordersServer;
  private EventStreams eventStreams;

  private OrdersApplication(ServerConfig config) {
    this.config = config;
  }

  public static OrdersApplication start(ServerConfig config, Clock clock) throws IOException {
    OrdersApplication app = new OrdersApplication(config);
    try {
      app.startAll(clock);
      return app;
    } catch (IOException | RuntimeException e) {
      app.close();
      throw e;
    }
  }

  private void startAll(Clock clock) throws IOException {
    // Before anything in the data directory is read or written: the token secret, the database files.
    Database database = Database.claim(config.database());
    resources.push(database);
    InetSocketAddress address = new InetSocketAddress(config.listener().bindAddress(), config.listener().port());
    // Found now rather than after the database has started and migrated; the real bind comes last.
    checkCanListen(address);
    AuthSettings auth = TokenSecrets.authSettings(config);
    String pageTokenSecret = TokenSecrets.pageTokenSecret(config);
    HikariDataSource dataSource = database.open(config.database().poolSize());
    int applied = DatabaseMigrations.migrate(dataSource);
    log.info("database schema up to date ({} migrations applied now)", applied);

    Optional<StatementLog> statementLog = config.database().statementLog().map(StatementLog::to);
    statementLog.ifPresent(
        log -> {
          resources.push(log);
          OrdersApplication.log.warn("writing every SQL statement to {} (ORDERS_STATEMENT_LOG): slower, for benchmarks and investigations", config.database().statementLog().get());
        });
    Injector injector =
        Guice.createInjector(
            new OrdersModule(dataSource, clock, auth, pageTokenSecret, config.cancellation(), config.conversations(), config.disputes(), config.returns(), statementLog)
                .withFeed(config.feed()));
    ordersServer = injector.getInstance(OrdersServer.class);
    eventStreams = injector.getInstance(EventStreams.class);
    if (config.demoData()) {
      DemoData.load(injector.getInstance(Orders.class));
    }

    resources.push(
        BackgroundJobs.start(
            config.jobs(),
            dataSource,
            ordersServer.health(),
            OrdersServer.BUSINESS_SERVICES,
            injector.getInstance(DeadlineExpiry.class),
            injector.getInstance(Transactor.class),
            clock,
            config.feed(),
            injector.getInstance(EventFeed.class)));

    handlers = handlerExecutor(config.database().poolSize());
    NettyServerBuilder builder =
        config.tls().enabled()
            ? NettyServerBuilder.forAddress(address, serverCredentials(config.tls()))
            : NettyServerBuilder.forAddress(address);
    // Oversized requests are refused by the transport (RESOURCE_EXHAUSTED) before any handler runs.
    builder.maxInboundMessageSize(config.limits().maxInboundMessageSize()).maxInboundMetadataSize(config.limits().maxInboundMetadataSize());
    applyConnectionLifetimes(builder, config.connections());
    try {
      server = ordersServer.build(builder, handlers, config.database().poolSize() + config.limits().handlerQueueCapacity()).start();
    } catch (IOException e) {
      // Taken since the check at the beginning.
      throw cannotListen(address, e.getCause() instanceof BindException bind ? bind : e);
    }
    String transport =
        !config.tls().enabled()
            ? "plaintext"
            : config.tls().clientAuth() == TlsSettings.ClientAuth.NONE ? "TLS" : "mutual TLS (" + config.tls().clientAuth() + ")";
    log.info(
        "orders server listening on {}:{} ({} database, {})",
        config.listener().bindAddress(),
        server.getPort(),
        database.embedded() ? "embedded" : "external",
        transport);
    if (!config.tls().enabled() && !address.getAddress().isLoopbackAddress()) {
      log.warn(
          "serving PLAINTEXT on a non-loopback address ({}): bearer tokens travel unencrypted; "
              + "set ORDERS_TLS_CERT_FILE and ORDERS_TLS_KEY_FILE outside development",
          config.listener().bindAddress());
    }
  }

  /**
   * Keepalive and connection lifetimes. Aged and idle connections get a GOAWAY: clients finish their
   * calls, open a new connection (re-resolving the name) and land on whichever replica the load
   * balancer picks now.
   */
  private static void applyConnectionLifetimes(NettyServerBuilder builder, ConnectionSettings connections) {
    builder
        .keepAliveTime(nanos(connections.keepAliveTime()), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(nanos(connections.keepAliveTimeout()), TimeUnit.NANOSECONDS)
        .permitKeepAliveTime(nanos(connections.permitKeepAliveTime()), TimeUnit.NANOSECONDS)
        // Clients that ping an idle channel (keepAliveWithoutCalls) are not punished with GOAWAY
        // too_many_pings: idle connections are closed by maxConnectionIdle anyway, pings or not.
        .permitKeepAliveWithoutCalls(true)
        .maxConnectionIdle(nanos(connections.maxConnectionIdle()), TimeUnit.NANOSECONDS)
        .maxConnectionAge(nanos(connections.maxConnectionAge()), TimeUnit.NANOSECONDS)
        .maxConnectionAgeGrace(nanos(connections.maxConnectionAgeGrace()), TimeUnit.NANOSECONDS);
  }

  /** Beyond about 292 years a duration has no nanosecond count; grpc reads Long.MAX_VALUE as "never". */
  private static long nanos(Duration duration) {
    return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : duration.toNanos();
  }

  private static ServerCredentials serverCredentials(TlsSettings tls) throws IOException {
    TlsServerCredentials.Builder credentials =
        TlsServerCredentials.newBuilder().keyManager(tls.certificateFile().get().toFile(), tls.privateKeyFile().get().toFile());
    if (tls.clientCaFile().isPresent()) {
      credentials.trustManager(tls.clientCaFile().get().toFile());
    }
    credentials.clientAuth(
        switch (tls.clientAuth()) {
          case NONE -> TlsServerCredentials.ClientAuth.NONE;
          case OPTIONAL -> TlsServerCredentials.ClientAuth.OPTIONAL;
          case REQUIRE -> TlsServerCredentials.ClientAuth.REQUIRE;
        });
    return credentials.build();
  }

  /** Binds and releases the gRPC address, so that a port in use is reported before the slow part of the start. */
  private static void checkCanListen(InetSocketAddress address) {
    if (address.getPort() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      // As netty binds: a port whose old connections linger in TIME_WAIT is free.
      probe.setReuseAddress(true);
      probe.bind(address);
    } catch (IOException e) {
      throw cannotListen(address, e);
    }
  }

  private static StartupException cannotListen(InetSocketAddress address, IOException e) {
    String where = "port " + address.getPort() + " on " + address.getHostString();
    String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return new StartupException(
        (reason.contains("in use") ? where + " is in use: " : where + " cannot be listened on: ") + reason
            + "; stop what listens there, or choose another port (ORDERS_PORT, --port)");
  }

  /**
   * As many handler threads as connections, so no handler waits for a connection. The queue itself
   * is unbounded: admission control (threads + ORDERS_HANDLER_QUEUE_CAPACITY) bounds what enters it.
   */
  private static ThreadPoolExecutor handlerExecutor(int threads) {
    AtomicInteger counter = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "orders-handler-" + counter.incrementAndGet());
          t.setDaemon(false);
          return t;
        });
  }

  public int port() {
    return server.getPort();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stop accepting, drain in-flight calls within the grace period, then stop everything else. */
  @Override
  public synchronized void close() {
    boolean served = server != null;
    if (ordersServer != null) {
      ordersServer.health().enterTerminalState();
    }
    if (eventStreams != null) {
      // Streams never end by themselves: end them (UNAVAILABLE, resume elsewhere) so the drain can finish.
      eventStreams.close();
    }
    if (server != null) {
      server.shutdown();
      try {
        if (!server.awaitTermination(config.listener().shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("in-flight calls did not finish within {}; cancelling them", config.listener().shutdownGrace());
          server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.shutdownNow();
      }
      server = null;
    }
    if (handlers != null) {
      handlers.shutdown();
      try {
        handlers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      handlers = null;
    }
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.getMessage());
      }
    }
    if (served) {
      log.info("orders server stopped");
    }
  }
}
