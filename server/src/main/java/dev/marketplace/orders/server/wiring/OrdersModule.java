package dev.marketplace.orders.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.dispute.DisputeSettings;
import dev.marketplace.orders.domain.returns.ReturnSettings;
import dev.marketplace.orders.domain.conversation.LanguageDetector;
import dev.marketplace.orders.domain.conversation.Translator;
import dev.marketplace.orders.domain.persistence.StatementLog;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.usecase.CancellationEffects;
import dev.marketplace.orders.domain.usecase.Cancellations;
import dev.marketplace.orders.domain.usecase.Conversations;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.domain.usecase.DisputeEffects;
import dev.marketplace.orders.domain.usecase.Disputes;
import dev.marketplace.orders.domain.usecase.ReturnEffects;
import dev.marketplace.orders.domain.usecase.Returns;
import dev.marketplace.orders.domain.usecase.SupportCaseEffects;
import dev.marketplace.orders.domain.usecase.SupportCases;
import dev.marketplace.orders.domain.usecase.ModificationEffects;
import dev.marketplace.orders.domain.usecase.Modifications;
import dev.marketplace.orders.domain.usecase.Orders;
import dev.marketplace.orders.server.api.CancellationGrpcService;
import dev.marketplace.orders.server.api.ConversationGrpcService;
import dev.marketplace.orders.server.api.DisputeGrpcService;
import dev.marketplace.orders.server.api.ReturnGrpcService;
import dev.marketplace.orders.server.api.SupportGrpcService;
import dev.marketplace.orders.server.api.ModificationGrpcService;
import dev.marketplace.orders.server.api.OrderGrpcService;
import dev.marketplace.orders.server.api.PageTokens;
import dev.marketplace.orders.server.auth.AuthInterceptor;
import dev.marketplace.orders.server.auth.AuthSettings;
import dev.marketplace.orders.server.auth.KeySource;
import dev.marketplace.orders.server.auth.TokenVerifier;
import dev.marketplace.orders.server.config.ConversationConfig;
import dev.marketplace.orders.server.config.FeedSettings;
import dev.marketplace.orders.server.feed.EventStreams;
import dev.marketplace.orders.domain.usecase.EventFeed;
import dev.marketplace.orders.domain.usecase.FeedHorizon;
import dev.marketplace.orders.server.error.ErrorMapper;
import dev.marketplace.orders.server.error.ErrorMappingInterceptor;
import dev.marketplace.orders.server.overload.CallDeadlineBudget;
import dev.marketplace.orders.server.translation.LibreTranslateTranslator;
import dev.marketplace.orders.server.translation.OpenNlpLanguageDetector;
import dev.marketplace.orders.server.wiring.OrdersServer;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one place that wires the service: domain use cases over the database, the token verifier,
 * the error mapper and the gRPC services. Built by {@code OrdersApplication} (and by tests, with
 * their own clock and database).
 */
public final class OrdersModule extends AbstractModule {

  private final DataSource dataSource;
  private final Clock clock;
  private final AuthSettings auth;
  private final String pageTokenSecret;
  private final CancellationSettings cancellationSettings;
  private final ConversationConfig conversationConfig;
  private final DisputeSettings disputeSettings;
  private final ReturnSettings returnSettings;
  private final Optional<StatementLog> statementLog;
  private FeedSettings feedSettings = FeedSettings.defaults();

  public OrdersModule(
      DataSource dataSource,
      Clock clock,
      AuthSettings auth,
      String pageTokenSecret,
      CancellationSettings cancellationSettings,
      ConversationConfig conversationConfig,
      DisputeSettings disputeSettings,
      ReturnSettings returnSettings,
      Optional<StatementLog> statementLog) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.auth = auth;
    this.pageTokenSecret = pageTokenSecret;
    this.cancellationSettings = cancellationSettings;
    this.conversationConfig = conversationConfig;
    this.disputeSettings = disputeSettings;
    this.returnSettings = returnSettings;
    this.statementLog = statementLog;
  }

  /** With the default return settings. */
  public OrdersModule(
      DataSource dataSource,
      Clock clock,
      AuthSettings auth,
      String pageTokenSecret,
      CancellationSettings cancellationSettings,
      ConversationConfig conversationConfig,
      DisputeSettings disputeSettings,
      Optional<StatementLog> statementLog) {
    this(
        dataSource, clock, auth, pageTokenSecret, cancellationSettings, conversationConfig, disputeSettings, ReturnSettings.defaults(),
        statementLog);
  }

  /** With the default dispute settings. */
  public OrdersModule(
      DataSource dataSource,
      Clock clock,
      AuthSettings auth,
      String pageTokenSecret,
      CancellationSettings cancellationSettings,
      ConversationConfig conversationConfig,
      Optional<StatementLog> statementLog) {
    this(dataSource, clock, auth, pageTokenSecret, cancellationSettings, conversationConfig, DisputeSettings.defaults(), statementLog);
  }

  /** With the default conversation settings (no translator). */
  public OrdersModule(
      DataSource dataSource,
      Clock clock,
      AuthSettings auth,
      String pageTokenSecret,
      CancellationSettings cancellationSettings,
      Optional<StatementLog> statementLog) {
    this(dataSource, clock, auth, pageTokenSecret, cancellationSettings, ConversationConfig.defaults(), statementLog);
  }

  public OrdersModule(
      DataSource dataSource, Clock clock, AuthSettings auth, String pageTokenSecret, CancellationSettings cancellationSettings) {
    this(dataSource, clock, auth, pageTokenSecret, cancellationSettings, Optional.empty());
  }

  /** HS256 tokens only, page tokens signed with the same secret. */
  public OrdersModule(DataSource dataSource, Clock clock, String hs256Secret, CancellationSettings cancellationSettings) {
    this(dataSource, clock, AuthSettings.hs256(hs256Secret), hs256Secret, cancellationSettings);
  }

  /** With these feed settings (WatchOrderEvents streams; the relay is started by the application). */
  public OrdersModule withFeed(FeedSettings feed) {
    this.feedSettings = feed;
    return this;
  }

  @Override
  protected void configure() {
    binder().disableCircularProxies();
    binder().requireExplicitBindings();
    bind(DataSource.class).toInstance(dataSource);
    bind(Clock.class).toInstance(clock);
    bind(AuthSettings.class).toInstance(auth);
    bind(ErrorMapper.class).in(Singleton.class);
    bind(ErrorMappingInterceptor.class).in(Singleton.class);
    bind(AuthInterceptor.class).in(Singleton.class);
    bind(OrderGrpcService.class).in(Singleton.class);
    bind(CancellationGrpcService.class).in(Singleton.class);
    bind(ConversationGrpcService.class).in(Singleton.class);
    bind(ModificationGrpcService.class).in(Singleton.class);
    bind(DisputeGrpcService.class).in(Singleton.class);
    bind(SupportGrpcService.class).in(Singleton.class);
    bind(ReturnGrpcService.class).in(Singleton.class);
    bind(OrdersServer.class).in(Singleton.class);
    bind(FeedSettings.class).toInstance(feedSettings);
    bind(EventStreams.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  FeedHorizon feedHorizon(Transactor transactor) {
    return new FeedHorizon(transactor, feedSettings.holeGrace());
  }

  @Provides
  @Singleton
  EventFeed eventFeed(Transactor transactor, FeedHorizon horizon) {
    return new EventFeed(transactor, horizon);
  }

  @Provides
  @Singleton
  Transactor transactor() {
    return Transactor.over(dataSource, clock, new CallDeadlineBudget(), statementLog);
  }

  @Provides
  @Singleton
  CancellationEffects cancellationEffects() {
    return new CancellationEffects(cancellationSettings, clock);
  }

  @Provides
  @Singleton
  ModificationEffects modificationEffects() {
    return new ModificationEffects(cancellationSettings, clock);
  }

  @Provides
  @Singleton
  DisputeEffects disputeEffects() {
    return new DisputeEffects(cancellationSettings, disputeSettings, clock);
  }

  @Provides
  @Singleton
  DeadlineExpiry deadlineExpiry(
      Transactor transactor,
      CancellationEffects effects,
      ModificationEffects modificationEffects,
      DisputeEffects disputeEffects,
      ReturnEffects returnEffects) {
    return new DeadlineExpiry(transactor, clock, effects, modificationEffects, disputeEffects, returnEffects);
  }

  @Provides
  @Singleton
  ReturnEffects returnEffects() {
    return new ReturnEffects(cancellationSettings, returnSettings, clock);
  }

  @Provides
  @Singleton
  Returns returns(Transactor transactor, DeadlineExpiry expiry, ReturnEffects effects) {
    return new Returns(transactor, clock, expiry, effects);
  }

  @Provides
  @Singleton
  Disputes disputes(Transactor transactor, DeadlineExpiry expiry, DisputeEffects effects) {
    return new Disputes(transactor, clock, expiry, effects);
  }

  @Provides
  @Singleton
  SupportCaseEffects supportCaseEffects(CancellationEffects cancellations) {
    return new SupportCaseEffects(cancellationSettings, cancellations, clock);
  }

  @Provides
  @Singleton
  SupportCases supportCases(Transactor transactor, DeadlineExpiry expiry, SupportCaseEffects effects) {
    return new SupportCases(transactor, clock, expiry, effects);
  }

  @Provides
  @Singleton
  Orders orders(Transactor transactor, DeadlineExpiry expiry) {
    return new Orders(transactor, clock, expiry);
  }

  @Provides
  @Singleton
  Cancellations cancellations(Transactor transactor, DeadlineExpiry expiry, CancellationEffects effects) {
    return new Cancellations(transactor, clock, cancellationSettings, expiry, effects);
  }

  @Provides
  @Singleton
  Conversations conversations(Transactor transactor) {
    LanguageDetector detector = conversationConfig.languageDetection() ? OpenNlpLanguageDetector.shared() : LanguageDetector.NONE;
    Translator translator =
        conversationConfig
            .translatorUrl()
            .<Translator>map(url -> new LibreTranslateTranslator(url, conversationConfig.translatorApiKey(), conversationConfig.translatorBudget()))
            .orElse(Translator.NONE);
    return new Conversations(transactor, clock, conversationConfig.rules(), detector, translator);
  }

  @Provides
  @Singleton
  Modifications modifications(Transactor transactor, DeadlineExpiry expiry, ModificationEffects effects) {
    return new Modifications(transactor, clock, cancellationSettings, expiry, effects);
  }

  @Provides
  @Singleton
  TokenVerifier tokenVerifier() {
    return new TokenVerifier(new KeySource(auth, clock), auth, clock);
  }

  /** Page tokens are signed with a key derived from a shared secret, so every replica accepts them. */
  @Provides
  @Singleton
  PageTokens pageTokens() {
    try {
      byte[] key =
          MessageDigest.getInstance("SHA-256")
              .digest(("orders.page-token|" + pageTokenSecret).getBytes(StandardCharsets.UTF_8));
      return new PageTokens(key);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provides
  @Singleton
  HealthStatusManager health() {
    return new HealthStatusManager();
  }
}
