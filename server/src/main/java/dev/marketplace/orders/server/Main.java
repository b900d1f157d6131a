package dev.marketplace.orders.server;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.persistence.DatabaseMigrations;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig.Setting;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.server.config.StartupException;
import dev.marketplace.orders.server.config.TokenSecrets;
import dev.marketplace.orders.server.database.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * {@code java -jar orders-server.jar [serve|migrate|token] [flags]}. Every configuration flag mirrors
 * an environment variable (see {@link ServerConfig.Setting}); flags win.
 */
@Command(
    name = "orders-server",
    mixinStandardHelpOptions = true,
    description = "Marketplace order and cancellation service (gRPC).",
    subcommands = {Main.Serve.class, Main.Migrate.class, Main.Token.class})
public final class Main implements Callable<Integer> {

  @CommandLine.Spec CommandSpec spec;

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }

  /** The command line with every setting as a flag; a {@link StartupException} is one line on stderr and exit code 1. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    for (CommandLine sub : cli.getSubcommands().values()) {
      addSettingOptions(sub.getCommandSpec());
    }
    addSettingOptions(cli.getCommandSpec());
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof StartupException) {
            command.getErr().println("orders-server: " + e.getMessage());
            command.getErr().flush();
            return 1;
          }
          throw e;
        });
    return cli;
  }

  /** Without a subcommand: serve. */
  @Override
  public Integer call() throws Exception {
    return new Serve().run(spec);
  }

  @Command(name = "serve", description = "Start the gRPC server (the default).")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      return run(spec);
    }

    int run(CommandSpec spec) throws Exception {
      ServerConfig config = config(spec);
      OrdersApplication app = OrdersApplication.start(config, Clock.systemUTC());
      Runtime.getRuntime().addShutdownHook(new Thread(app::close, "orders-shutdown"));
      app.awaitTermination();
      return 0;
    }
  }

  @Command(name = "migrate", description = "Apply the database migrations and exit.")
  static final class Migrate implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Override
    public Integer call() {
      // The same database as serve would use, under the same rule: one process per data directory.
      try (Database database = Database.claim(config(spec).database())) {
        int applied = DatabaseMigrations.migrate(database.open(1));
        spec.commandLine().getOut().println("migrations applied: " + applied);
        spec.commandLine().getOut().flush();
        return 0;
      }
    }
  }

  @Command(
      name = "token",
      description =
          "Print a signed bearer token (development): signed with --auth-hs256-secret, or with the secret the server "
              + "generated into the data directory (--data-dir) on its first start.")
  static final class Token implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(names = "--subject", required = true, description = "the token's sub: a buyer, seller, agent or service id")
    String subject;

    @Option(names = "--role", required = true, description = "BUYER, SELLER, SUPPORT or SERVICE")
    Role role;

    @Option(names = "--scope", split = ",", description = "service scopes, e.g. orders.create,payments.record")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--ttl", defaultValue = "PT12H", description = "validity, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration ttl;

    @Override
    public Integer call() {
      if (role == Role.SYSTEM) {
        throw new CommandLine.ParameterException(spec.commandLine(), "SYSTEM is not a caller role");
      }
      // Reads the secret, never creates it, and takes no lock: it works beside a running server.
      String secret = TokenSecrets.forMinting(config(spec));
      spec.commandLine().getOut().println(new TokenIssuer(secret, Clock.systemUTC()).issue(subject, role, scopes, ttl));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  private static void addSettingOptions(CommandSpec spec) {
    for (Setting setting : Setting.values()) {
      OptionSpec.Builder option =
          OptionSpec.builder(setting.flag())
              .type(String.class)
              .paramLabel("<value>")
              .description(setting.description() + " (env " + setting.env() + ", default '" + setting.defaultValue() + "')");
      if (setting.defaultValue().equals("false")) {
        // A switch: --demo-data alone means true.
        option.arity("0..1").fallbackValue("true");
      }
      spec.addOption(option.build());
    }
  }

  /** Environment, then flags given before the subcommand, then the subcommand's own flags. */
  private static ServerConfig config(CommandSpec spec) {
    Map<String, String> settings = new HashMap<>(System.getenv());
    Deque<CommandLine> commands = new ArrayDeque<>();
    for (CommandLine command = spec.commandLine(); command != null; command = command.getParent()) {
      commands.push(command);
    }
    for (CommandLine command : commands) {
      ParseResult parsed = command.getParseResult();
      for (Setting setting : Setting.values()) {
        if (parsed != null && parsed.hasMatchedOption(setting.flag())) {
          settings.put(setting.env(), parsed.matchedOptionValue(setting.flag(), ""));
        }
      }
    }
    return ServerConfig.from(settings);
  }
}
