package io.mesokube.agent.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The JSON form of checkpoints, written and read through {@link AtomicFiles}. */
final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
          // A checkpoint ends where its JSON ends; anything after it is damage, not data.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // A newer agent may add fields; an older one reading them after a rollback goes on.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  static void write(Path file, Object value) throws IOException {
    byte[] bytes;
    try {
      bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize " + value, e);
    }
    AtomicFiles.write(file, bytes);
  }

  /** Reads {@code file}; a file that does not parse, or fails validation, is corrupt. */
  static <T> T read(Path file, Class<T> type) throws IOException {
    byte[] bytes = AtomicFiles.read(file);
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw new CorruptCheckpointException(file, "empty (JSON null)", null);
      }
      return value;
    } catch (JsonProcessingException e) {
      // Covers truncation (unexpected end of input) and a record constructor's validation.
      throw new CorruptCheckpointException(file, e.getOriginalMessage(), e);
    }
  }
}
