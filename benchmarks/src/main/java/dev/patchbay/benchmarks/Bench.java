package dev.patchbay.benchmarks;

import java.io.File;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the benchmark mains share: medians, a child JVM's class path, the peak heap. */
final class Bench {

  private Bench() {
  }

  static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  /** The class path of the benchmark's class loader: under exec:java it is not java.class.path. */
  static String classPath() {
    if (Bench.class.getClassLoader() instanceof URLClassLoader loader) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException("class path entry " + url, e);
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }

  /** The peak heap used, summed over the heap pools. */
  static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** The most heap found in use right after a collection since {@link #watchLiveHeap()}: what the run kept live. */
  private static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();

  /** Starts keeping {@link #peakLiveHeap()}: after each collection, the heap then in use. */
  static void watchLiveHeap() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((javax.management.NotificationEmitter) gc).addNotificationListener((n, h) -> {
        if (n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          com.sun.management.GarbageCollectionNotificationInfo info = com.sun.management.GarbageCollectionNotificationInfo
              .from((javax.management.openmbean.CompositeData) n.getUserData());
          long used = 0;
          for (java.lang.management.MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
            used += u.getUsed();
          }
          LIVE.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
  }

  /** The most heap in use right after a collection since {@link #watchLiveHeap()}, in bytes (metaspace and code cache included). */
  static long peakLiveHeap() {
    return LIVE.get();
  }

  /** Milliseconds this JVM's collectors have spent so far (pauses and concurrent work). */
  static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /**
   * Runs {@code main} with {@code args} in a child JVM of this class path with {@code jvmOptions}
   * (a fixed or limited heap), its output this one's; fails unless it ends with 0.
   */
  static void inChildJvm(List<String> jvmOptions, Class<?> main, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath(), main.getName()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the benchmark JVM ended with " + p.exitValue());
    }
  }

  /** {@code java} of this JVM. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
