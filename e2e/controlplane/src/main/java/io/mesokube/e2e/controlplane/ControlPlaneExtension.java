package io.mesokube.e2e.controlplane;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.security.SecureRandom;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit extension that runs tests against a real control plane:
 * {@code @ExtendWith(ControlPlaneExtension.class)} on the class, then a {@link TestCluster}
 * parameter in test (or {@code @BeforeEach}) methods, or a {@link ControlPlane} parameter anywhere,
 * {@code @BeforeAll} included.
 *
 * <p>One control plane serves the whole test run: started on first use, shared by every test class,
 * stopped when the run ends. CRDs from the directory in system property {@code mesokube.crds.dir}
 * are installed and Established before the first test. Each test gets its own random namespace
 * (labelled {@code mesokube.io/test=true}), deleted after it. When a test fails, the control-plane
 * work dir is kept and its log directory is printed.
 */
public final class ControlPlaneExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneExtension.class);
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(ControlPlaneExtension.class);
  private static final String SHARED = "shared-control-plane";
  private static final String CLUSTER = "test-cluster";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The run's shared control plane, started if this is its first use. */
  public static ControlPlane controlPlane(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .computeIfAbsent(SHARED, key -> SharedControlPlane.start(), SharedControlPlane.class)
        .get();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    var controlPlane = controlPlane(context);
    var namespace = namespaceName(context);
    var client = ControlPlane.newClient(controlPlane.kubeconfig(), namespace);
    var cluster = new TestCluster(controlPlane, namespace, client);
    context.getStore(STORE).put(CLUSTER, cluster);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels("mesokube.io/test", "true")
                .endMetadata()
                .build())
        .create();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      var controlPlane = controlPlane(context);
      controlPlane.keepWorkDir();
      LOG.error(
          "{} failed; control-plane logs are in {} (work dir kept)",
          context.getDisplayName(),
          controlPlane.workDir().resolve("logs"));
      context.publishReportEntry("controlplane.logs", controlPlane.workDir() + "/logs");
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    var type = parameter.getParameter().getType();
    return type == TestCluster.class || type == ControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == ControlPlane.class) {
      return controlPlane(context);
    }
    var cluster = context.getStore(STORE).get(CLUSTER, TestCluster.class);
    if (cluster == null) {
      throw new org.junit.jupiter.api.extension.ParameterResolutionException(
          "a TestCluster exists per test method only; use a ControlPlane parameter in "
              + context.getDisplayName());
    }
    return cluster;
  }

  /** "t-" + the test method's name, shortened to fit, + a random suffix: a DNS-1123 label. */
  private static String namespaceName(ExtensionContext context) {
    var method =
        context
            .getTestMethod()
            .map(m -> m.getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"))
            .orElse("test");
    method = method.substring(0, Math.min(method.length(), 40)).replaceAll("-+$", "");
    var suffix = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      suffix.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(RANDOM.nextInt(36)));
    }
    return "t-" + method + "-" + suffix;
  }
}
