package io.mesokube.allocator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time of the benchmark thread and offers made, per cycle, next to JMH's wall time: on a shared
 * 2-core machine other processes stretch wall time, while thread CPU time stays close to the work
 * done. JMH reports the counters summed over the iterations; CPU ms per cycle is {@code cpuMicros /
 * cycles / 1000}, offers per cycle {@code offers / cycles}.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CycleStats {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Thread CPU time spent in timed cycles, in microseconds. */
  public long cpuMicros;

  /** Timed cycles. */
  public long cycles;

  /** Offers made by the timed cycles. */
  public long offers;

  private long started;

  /** Clears the counters for a new iteration. */
  @Setup(Level.Iteration)
  public void reset() {
    cpuMicros = 0;
    cycles = 0;
    offers = 0;
  }

  void start() {
    started = THREADS.getCurrentThreadCpuTime();
  }

  void stop(int offersMade) {
    cpuMicros += (THREADS.getCurrentThreadCpuTime() - started) / 1000;
    cycles++;
    offers += offersMade;
  }
}
