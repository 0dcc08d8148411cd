package io.mesokube.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mesokube.api.v1alpha1.ApiTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates the CRD YAML from the Java types with Fabric8's CRD generator and fails when the
 * committed files under {@code crds/yaml} differ. Run with {@code -Dmesokube.crds.update=true} to
 * rewrite them instead.
 */
class CrdGenerationTest {
  private static final String UPDATE_HINT =
      "the committed CRD YAML is out of date: run"
          + " ./mvnw -pl crds test -Dtest=CrdGenerationTest -Dmesokube.crds.update=true";

  @Test
  void committedCrdsMatchTheJavaTypes(@TempDir Path out) throws IOException {
    Path committed = Path.of(System.getProperty("mesokube.crds.dir", "yaml"));
    Map<String, String> generated = generate(out);
    assertThat(generated).hasSize(ApiTypes.ALL.size());

    if (Boolean.getBoolean("mesokube.crds.update")) {
      write(committed, generated);
    }
    assertThat(read(committed)).as(UPDATE_HINT).isEqualTo(generated);
  }

  /**
   * Server-side apply treats x-kubernetes-validations as a map keyed by rule and refuses a CRD that
   * repeats one (as a rule on a record component would be, once per field and accessor).
   */
  @Test
  void noSchemaRepeatsAValidationRule(@TempDir Path out) throws IOException {
    for (String yaml : generate(out).values()) {
      CustomResourceDefinition crd =
          new KubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        assertNoRepeatedRule(crd.getMetadata().getName(), version.getSchema().getOpenAPIV3Schema());
      }
    }
  }

  private static void assertNoRepeatedRule(String path, JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    List<String> rules =
        schema.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
    assertThat(rules).as("rules at %s", path).doesNotHaveDuplicates();
    schema.getProperties().forEach((name, child) -> assertNoRepeatedRule(path + "." + name, child));
    if (schema.getItems() != null) {
      assertNoRepeatedRule(path + "[]", schema.getItems().getSchema());
    }
    if (schema.getAdditionalProperties() != null) {
      assertNoRepeatedRule(path + "{}", schema.getAdditionalProperties().getSchema());
    }
  }

  /** Every field is documented: the descriptions are what {@code kubectl explain} prints. */
  @Test
  void everyFieldHasADescription(@TempDir Path out) throws IOException {
    for (String yaml : generate(out).values()) {
      CustomResourceDefinition crd =
          new KubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        for (String top : List.of("spec", "status")) {
          root.getProperties()
              .get(top)
              .getProperties()
              .forEach((name, child) -> assertDescribed(top + "." + name, child));
        }
      }
    }
  }

  private static void assertDescribed(String path, JSONSchemaProps schema) {
    assertThat(schema.getDescription()).as("description of %s", path).isNotBlank();
    schema.getProperties().forEach((name, child) -> assertDescribed(path + "." + name, child));
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      schema
          .getItems()
          .getSchema()
          .getProperties()
          .forEach((name, child) -> assertDescribed(path + "[]." + name, child));
    }
  }

  /** Runs the generator; returns file name → content, named {@code <crd-name>.yaml}. */
  static Map<String, String> generate(Path out) throws IOException {
    new CRDGenerator()
        .inOutputDir(out.toFile())
        .forCRDVersions("v1")
        .withPostProcessor(new PrinterColumnOrder())
        .customResourceClasses(List.copyOf(ApiTypes.ALL))
        .generate();
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(out)) {
      for (Path file : list.toList()) {
        String name = file.getFileName().toString().replace("-v1.yml", ".yaml");
        files.put(name, Files.readString(file));
      }
    }
    return files;
  }

  private static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> list = Files.list(dir)) {
        for (Path file : list.filter(f -> f.toString().endsWith(".yaml")).toList()) {
          files.put(file.getFileName().toString(), Files.readString(file));
        }
      }
    }
    return files;
  }

  private static void write(Path dir, Map<String, String> files) throws IOException {
    Files.createDirectories(dir);
    for (String stale : read(dir).keySet()) {
      Files.delete(dir.resolve(stale));
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
  }

  /**
   * The generator sorts printer columns by JSON path; kubectl prints them in CRD order, so this
   * puts them back in the order the annotations are declared on the kind's class.
   */
  static final class PrinterColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata resource, String crdSpecVersion) {
      CustomResourceDefinition crd = (CustomResourceDefinition) resource;
      List<String> declared = declaredColumns(crd.getSpec().getNames().getKind());
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        List<CustomResourceColumnDefinition> columns =
            new ArrayList<>(version.getAdditionalPrinterColumns());
        columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
        version.setAdditionalPrinterColumns(columns);
      }
      return crd;
    }

    private static List<String> declaredColumns(String kind) {
      Class<?> type =
          ApiTypes.ALL.stream()
              .filter(c -> c.getSimpleName().equals(kind))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no API type for kind " + kind));
      return Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
          .map(AdditionalPrinterColumn::name)
          .collect(Collectors.toList());
    }
  }
}
