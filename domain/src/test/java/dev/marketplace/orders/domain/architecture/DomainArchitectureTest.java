package dev.marketplace.orders.domain.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The domain's layers, as rules the build checks. Arrows point one way:
 *
 * <pre>
 *   model (access, payment, order, refund, cancellation, history, idempotency, error)
 *     ^            ^
 *     |        persistence  (SQL; implements what the use cases need; knows only the model)
 *     |            ^
 *   usecase (owns the transactions: one per call)
 * </pre>
 *
 * and the server module sits on top of the use cases. The model is plain Java: no SQL, no jOOQ, no
 * transactions; nothing in the domain knows gRPC, protobuf or Guice.
 */
class DomainArchitectureTest {

  static final String DOMAIN = "dev.marketplace.orders.domain";
  static final String[] MODEL = {
    DOMAIN + ".access..",
    DOMAIN + ".payment..",
    DOMAIN + ".order..",
    DOMAIN + ".refund..",
    DOMAIN + ".cancellation..",
    DOMAIN + ".history..",
    DOMAIN + ".idempotency..",
    DOMAIN + ".error.."
  };

  static final JavaClasses PRODUCTION =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(DOMAIN);

  /** No cycles between the domain's packages (each top-level package a slice, sub-packages included). */
  static final ArchRule NO_PACKAGE_CYCLES = slices().matching(DOMAIN + ".(*)..").should().beFreeOfCycles();

  @Test
  void packagesAreFreeOfCycles() {
    NO_PACKAGE_CYCLES.check(PRODUCTION);
  }

  @Test
  void theCycleRuleCatchesACycle() {
    JavaClasses cyclic = new ClassFileImporter().importPackages(DOMAIN + ".architecture.cyclic");
    assertThatThrownBy(() -> slices().matching(DOMAIN + ".architecture.cyclic.(*)..").should().beFreeOfCycles().check(cyclic))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected");
  }

  @Test
  void theModelKnowsNoUseCasePersistenceOrSql() {
    noClasses()
        .that()
        .resideInAnyPackage(MODEL)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DOMAIN + ".usecase..", DOMAIN + ".persistence..", "org.jooq..", "java.sql..", "javax.sql..")
        .because("the model is aggregates, value types and pure policies; a test builds it with new")
        .check(PRODUCTION);
  }

  @Test
  void persistenceServesTheUseCasesButKnowsOnlyTheModel() {
    noClasses()
        .that()
        .resideInAPackage(DOMAIN + ".persistence..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(DOMAIN + ".usecase..")
        .check(PRODUCTION);
  }

  @Test
  void theDomainKnowsNoGrpcProtobufOrGuice() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.grpc..", "com.google.protobuf..", "com.google.inject..", "jakarta.inject..", "javax.inject..")
        .check(PRODUCTION);
  }
}
