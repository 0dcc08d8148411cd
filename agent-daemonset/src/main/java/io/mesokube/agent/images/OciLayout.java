package io.mesokube.agent.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the agent's OCI image layout (the directory skopeo pulls into and umoci unpacks from):
 * {@code index.json} names each pulled reference ({@code org.opencontainers.image.ref.name}), blobs
 * live under {@code blobs/<algorithm>/<hex>}. Read-only; skopeo and umoci write it.
 */
final class OciLayout {
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final Pattern DIGEST =
      Pattern.compile("^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A layer of a manifest. */
  record Layer(String mediaType, String digest, long size) {}

  /** A manifest: its digest, config and layers. */
  record Manifest(String digest, Image.RuntimeConfig config, List<Layer> layers) {}

  private final Path dir;

  OciLayout(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** The manifest pulled under {@code refName}, if the layout has one. */
  Optional<Manifest> manifest(String refName) throws IOException, ImageException {
    JsonNode index;
    try {
      index = JSON.readTree(Files.readAllBytes(dir.resolve("index.json")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    for (JsonNode m : index.path("manifests")) {
      if (refName.equals(m.path("annotations").path(REF_NAME).asText(null))) {
        return Optional.of(read(m.path("digest").asText()));
      }
    }
    return Optional.empty();
  }

  /** The blob with {@code digest}; refuses anything that is not a digest. */
  Path blob(String digest) throws ImageException {
    if (digest == null || !DIGEST.matcher(digest).matches()) {
      throw new ImageException(ImageException.Kind.UNSUPPORTED, "not a digest: " + digest);
    }
    int colon = digest.indexOf(':');
    return dir.resolve("blobs")
        .resolve(digest.substring(0, colon))
        .resolve(digest.substring(colon + 1));
  }

  private Manifest read(String digest) throws IOException, ImageException {
    JsonNode manifest = JSON.readTree(Files.readAllBytes(blob(digest)));
    String mediaType = manifest.path("mediaType").asText("");
    if (manifest.has("manifests")) {
      // skopeo copies one platform's manifest into an OCI layout, never an index.
      throw new ImageException(
          ImageException.Kind.UNSUPPORTED, "image " + digest + " is an index, not a manifest");
    }
    if (!mediaType.isEmpty()
        && !mediaType.equals("application/vnd.oci.image.manifest.v1+json")
        && !mediaType.equals("application/vnd.docker.distribution.manifest.v2+json")) {
      throw new ImageException(
          ImageException.Kind.UNSUPPORTED,
          "manifest media type " + mediaType + " is not supported");
    }
    JsonNode config =
        JSON.readTree(Files.readAllBytes(blob(manifest.path("config").path("digest").asText())));
    List<Layer> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(
          new Layer(
              layer.path("mediaType").asText(),
              layer.path("digest").asText(),
              layer.path("size").asLong()));
    }
    JsonNode c = config.path("config");
    return new Manifest(
        digest,
        new Image.RuntimeConfig(
            strings(c.path("Entrypoint")),
            strings(c.path("Cmd")),
            strings(c.path("Env")),
            text(c.path("WorkingDir")),
            text(c.path("User"))),
        List.copyOf(layers));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String text(JsonNode node) {
    String value = node.asText(null);
    return value == null || value.isEmpty() ? null : value;
  }
}
