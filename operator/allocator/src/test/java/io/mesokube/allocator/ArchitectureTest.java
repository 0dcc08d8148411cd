package io.mesokube.allocator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.mesokube.allocator");

  @Test
  void importsTheLibraryClasses() {
    assertThat(MAIN.contain(HierarchicalAllocator.class)).isTrue();
    assertThat(MAIN.size()).isGreaterThan(20);
  }

  @Test
  void hasNoKubernetesQuarkusOrFabric8Dependency() {
    ArchRule rule =
        noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.fabric8..",
                "io.kubernetes..",
                "io.quarkus..",
                "io.quarkiverse..",
                "io.javaoperatorsdk..",
                "jakarta..",
                "javax.inject..");
    rule.check(MAIN);
  }

  @Test
  void dependsOnNothingButTheJdk() {
    ArchRule rule =
        noClasses()
            .should()
            .dependOnClassesThat()
            .resideOutsideOfPackages("io.mesokube.allocator..", "java..");
    rule.check(MAIN);
  }

  @Test
  void sortersAndResourcesDoNotReachIntoTheAllocator() {
    noClasses()
        .that()
        .resideInAnyPackage("io.mesokube.allocator.sorter..", "io.mesokube.allocator.resources..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mesokube.allocator")
        .check(MAIN);
  }
}
