package io.mesokube.agent.sandbox;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Mesos' {@code /files} endpoints on the agent: browse, read and download task sandboxes. */
@Path("/files")
public class FilesResource {
  private final SandboxFiles files;

  FilesResource(SandboxFiles files) {
    this.files = files;
  }

  /** {@code /files/browse?path=}: a directory's entries, or a file's, as JSON. */
  @GET
  @Path("browse")
  @Produces(MediaType.APPLICATION_JSON)
  public List<SandboxFiles.FileInfo> browse(@QueryParam("path") String path) throws IOException {
    return files.browse(path);
  }

  /** {@code /files/read?path=&offset=&length=}: {@code {"data": ..., "offset": N}}. */
  @GET
  @Path("read")
  @Produces(MediaType.APPLICATION_JSON)
  public SandboxFiles.Chunk read(
      @QueryParam("path") String path,
      @QueryParam("offset") String offset,
      @QueryParam("length") String length)
      throws IOException {
    return files.read(path, number("offset", offset), number("length", length));
  }

  /** {@code /files/download?path=}: the raw bytes of a regular file, as an attachment. */
  @GET
  @Path("download")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response download(@QueryParam("path") String path) throws IOException {
    SandboxFiles.Download download = files.download(path);
    StreamingOutput body =
        out -> {
          try (InputStream content = download.content()) {
            copy(content, out, download.size());
          }
        };
    return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header(HttpHeaders.CONTENT_LENGTH, download.size())
        .header(
            "Content-Disposition",
            "attachment; filename=\"" + headerSafe(download.fileName()) + "\"")
        .build();
  }

  @ServerExceptionMapper
  Response refused(FilesException e) {
    return Response.status(e.status()).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
  }

  // Exactly the size announced in Content-Length, though a task may still be writing the file.
  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = size;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
      out.write(buffer, 0, read);
      left -= read;
    }
  }

  // A JAX-RS Long parameter that fails to parse answers 404; Mesos answers 400.
  private static long number(String name, String value) {
    if (value == null || value.isEmpty()) {
      return -1;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw FilesException.badRequest("Failed to parse " + name + ": '" + value + "'");
    }
  }

  // A task names its own files: keep quotes, control characters and non-ASCII out of the header.
  private static String headerSafe(String name) {
    return name.replaceAll("[^A-Za-z0-9._+-]", "_");
  }
}
