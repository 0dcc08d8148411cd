package io.mesokube.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A TCP check: healthy when a connection to {@code host:port} opens in time, as Mesos'
 * mesos-tcp-connect. The connect is asynchronous, so a slow one holds no thread.
 */
final class TcpProbe implements Probe {
  private final ScheduledExecutorService scheduler;
  private final String host;
  private final int port;
  private final String what;

  TcpProbe(ScheduledExecutorService scheduler, String host, int port) {
    this.scheduler = scheduler;
    this.host = host;
    this.port = port;
    this.what = "TCP connection to " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public CompletableFuture<Outcome> start(Duration timeout) {
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(
          new Outcome(false, what + " failed: " + ProbeSupport.describe(e)));
    }
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    // The deadline first: connect may complete on this thread, and then the channel must be
    // closed by the release of the deadline.
    ProbeSupport.deadline(result, timeout, scheduler, what, () -> close(channel));
    try {
      channel.connect(
          new InetSocketAddress(host, port),
          null,
          new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void ignored, Void attachment) {
              result.complete(new Outcome(true, what + " opened"));
            }

            @Override
            public void failed(Throwable error, Void attachment) {
              result.complete(
                  new Outcome(false, what + " failed: " + ProbeSupport.describe(error)));
            }
          });
    } catch (RuntimeException e) {
      // An unresolvable host or an unsupported address fails synchronously.
      result.complete(new Outcome(false, what + " failed: " + ProbeSupport.describe(e)));
    }
    return result;
  }

  private static void close(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing was sent on it, and a failed close leaves nothing to clean up.
    }
  }
}
