package io.mesokube.e2e.controlplane;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies every CustomResourceDefinition found in the YAML files of a directory (server-side apply)
 * and waits until each is Established, so that its resources can be used right away.
 */
public final class CrdInstaller {

  private static final Logger LOG = LoggerFactory.getLogger(CrdInstaller.class);

  private CrdInstaller() {}

  /** Installs the CRDs in {@code dir} (files ending in .yaml or .yml, multi-document allowed). */
  public static List<String> install(KubernetesClient client, Path dir, Duration timeout) {
    var crds = read(client, dir);
    if (crds.isEmpty()) {
      throw new IllegalArgumentException("no CustomResourceDefinition in " + dir);
    }
    var crdApi = client.apiextensions().v1().customResourceDefinitions();
    crds.forEach(crd -> crdApi.resource(crd).forceConflicts().serverSideApply());
    var names = crds.stream().map(crd -> crd.getMetadata().getName()).toList();
    for (var name : names) {
      crdApi
          .withName(name)
          .waitUntilCondition(CrdInstaller::established, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    LOG.info("installed {} CRDs from {}: {}", names.size(), dir, names);
    return names;
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static List<CustomResourceDefinition> read(KubernetesClient client, Path dir) {
    var crds = new ArrayList<CustomResourceDefinition>();
    try (Stream<Path> files = Files.list(dir)) {
      for (var file :
          files
              .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .sorted()
              .toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          client.load(in).items().stream()
              .filter(CustomResourceDefinition.class::isInstance)
              .map(CustomResourceDefinition.class::cast)
              .forEach(crds::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRDs from " + dir, e);
    }
    return crds;
  }
}
