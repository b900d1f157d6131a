package dev.marketplace.orders.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The server module's shape: the edges (gRPC services, interceptors, configuration, background
 * jobs) over the domain's use cases. The gRPC layer translates and calls use cases; it never reaches
 * past them into persistence. One place each: the skeleton of the mutating handlers, the background
 * jobs' start and stop, the choice of embedded or external database, the Guice wiring.
 */
class ServerArchitectureTest {

  static final String SERVER = "dev.marketplace.orders.server";
  static final String DOMAIN = "dev.marketplace.orders.domain";

  static final JavaClasses PRODUCTION =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(SERVER);

  /** Each first-level package of the server a slice, and the root package (Main, the application) one too. */
  static final SliceAssignment SERVER_PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          String name = javaClass.getPackageName();
          if (name.equals(SERVER)) {
            return SliceIdentifier.of("(root)");
          }
          if (!name.startsWith(SERVER + ".")) {
            return SliceIdentifier.ignore();
          }
          return SliceIdentifier.of(name.substring(SERVER.length() + 1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
          return "the server's first-level packages and its root package";
        }
      };

  @Test
  void packagesAreFreeOfCycles() {
    slices().assignedFrom(SERVER_PACKAGES).should().beFreeOfCycles().check(PRODUCTION);
  }

  @Test
  void grpcServicesCallUseCasesNeverPersistence() {
    noClasses()
        .that()
        .resideInAPackage(SERVER + ".api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DOMAIN + ".persistence..", "org.jooq..", "java.sql..", "javax.sql..")
        .check(PRODUCTION);
  }

  @Test
  void mutatingHandlersBuildTheirIdempotencyKeysInOnePlace() {
    noClasses()
        .that()
        .resideInAPackage(SERVER + ".api..")
        .and()
        .doNotHaveFullyQualifiedName(SERVER + ".api.IdempotentCall")
        .should()
        .callConstructor(IdempotencyKey.class, String.class, UUID.class, String.class, byte[].class)
        .because("every mutating RPC goes through IdempotentCall: checks, call id, caller, key, reply")
        .check(PRODUCTION);
  }

  @Test
  void backgroundJobsAreStartedInOnePlace() {
    noClasses()
        .that()
        .resideOutsideOfPackage(SERVER + ".jobs..")
        .should()
        .dependOnClassesThat()
        .haveNameMatching(SERVER.replace(".", "\\.") + "\\.jobs\\.(DatabaseHealth|DeadlineSweeper|IdempotencyCleaner|PeriodicTask)")
        .because("BackgroundJobs starts and stops every job")
        .check(PRODUCTION);
  }

  @Test
  void theBrokerRelayIsStartedByTheBackgroundJobsAlone() {
    noClasses()
        .that()
        .resideOutsideOfPackages(SERVER + ".jobs..", SERVER + ".relay..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName(SERVER + ".relay.EventRelay")
        .because("BackgroundJobs starts the relay with the other jobs and stops it in reverse order")
        .check(PRODUCTION);
  }

  @Test
  void theBrokerRelayNeverReachesPersistence() {
    noClasses()
        .that()
        .resideInAPackage(SERVER + ".relay..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DOMAIN + ".persistence", "org.jooq..", "java.sql..", "javax.sql..")
        .because("the lease and the confirmed position go through the EventRelayProgress use case")
        .check(PRODUCTION);
  }

  @Test
  void theChoiceOfEmbeddedOrExternalDatabaseIsMadeInOnePlace() {
    noClasses()
        .that()
        .resideOutsideOfPackage(SERVER + ".database..")
        .should()
        .dependOnClassesThat()
        .haveNameMatching(SERVER.replace(".", "\\.") + "\\.database\\.(EmbeddedDatabase|DataDirectoryLock|DataSources)")
        .because("Database decides: the external one by URL, or the embedded one in the locked data directory")
        .check(PRODUCTION);
  }

  @Test
  void guiceIsWiredInOnePlace() {
    noClasses()
        .that()
        .resideOutsideOfPackages(SERVER + ".wiring..")
        .and()
        .doNotHaveFullyQualifiedName(SERVER + ".OrdersApplication")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.google.inject..")
        .because("modules and the injector live in server.wiring; everything else takes @Inject constructors")
        .check(PRODUCTION);
  }
}
