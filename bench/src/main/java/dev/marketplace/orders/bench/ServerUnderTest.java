package dev.marketplace.orders.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The orders server as its own process, started from this program's classpath with the production
 * entry point and configured through environment variables. Its CPU time, heap and thread count are
 * read over JMX (local, no authentication, bound to 127.0.0.1), so the benchmark can say what the
 * server spent without instrumenting it.
 */
final class ServerUnderTest implements AutoCloseable {

  static final String SECRET = "bench-secret-0123456789-0123456789-abcdef";

  private final Process process;
  private final int port;
  private final Duration startup;
  private final JMXConnector jmx;
  private final MBeanServerConnection mbeans;

  private ServerUnderTest(Process process, int port, Duration startup, JMXConnector jmx) throws IOException {
    this.process = process;
    this.port = port;
    this.startup = startup;
    this.jmx = jmx;
    this.mbeans = jmx.getMBeanServerConnection();
  }

  /** Starts a server on {@code database} with these extra settings and waits until health says SERVING. */
  static ServerUnderTest start(BenchDatabase database, Map<String, String> extra, Path log, List<String> jvmArgs) throws Exception {
    int port = freePort();
    int jmxPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xms256m",
            "-Xmx512m",
            "-Dcom.sun.management.jmxremote.port=" + jmxPort,
            "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
            "-Dcom.sun.management.jmxremote.host=127.0.0.1",
            "-Djava.rmi.server.hostname=127.0.0.1",
            "-Dcom.sun.management.jmxremote.authenticate=false",
            "-Dcom.sun.management.jmxremote.ssl=false"));
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-cp",
            classpath(),
            "dev.marketplace.orders.server.Main",
            "serve"));
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("ORDERS_"));
    builder.environment().put("ORDERS_PORT", Integer.toString(port));
    builder.environment().put("ORDERS_BIND_ADDRESS", "127.0.0.1");
    builder.environment().put("ORDERS_DB_URL", database.jdbcUrl());
    builder.environment().put("ORDERS_DB_USER", database.user());
    builder.environment().put("ORDERS_DB_PASSWORD", database.password());
    builder.environment().put("ORDERS_AUTH_HS256_SECRET", SECRET);
    builder.environment().putAll(extra);
    long started = System.nanoTime();
    Process process = builder.start();
    awaitServing(process, port, log, Duration.ofSeconds(120));
    Duration startup = Duration.ofNanos(System.nanoTime() - started);
    JMXConnector jmx =
        JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
    return new ServerUnderTest(process, port, startup, jmx);
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** From the process's start to health SERVING. */
  Duration startup() {
    return startup;
  }

  /** CPU time the server process has used so far. */
  Duration cpuTime() throws Exception {
    Object nanos = mbeans.getAttribute(new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), "ProcessCpuTime");
    return Duration.ofNanos(((Number) nanos).longValue());
  }

  /** Heap in use now, in bytes. */
  long heapUsed() throws Exception {
    MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Live threads now. */
  int threads() throws Exception {
    ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    return threads.getThreadCount();
  }

  /** Resets the peak counters of the heap pools, so that {@link #peakHeap()} covers what follows. */
  void resetPeaks() throws Exception {
    for (ObjectName pool : mbeans.queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
      if ("HEAP".equals(String.valueOf(mbeans.getAttribute(pool, "Type")))) {
        mbeans.invoke(pool, "resetPeakUsage", null, null);
      }
    }
  }

  /** Sum of the heap pools' peak usage since {@link #resetPeaks()}, in bytes. */
  long peakHeap() throws Exception {
    long peak = 0;
    for (ObjectName pool : mbeans.queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
      if ("HEAP".equals(String.valueOf(mbeans.getAttribute(pool, "Type")))) {
        javax.management.openmbean.CompositeData usage = (javax.management.openmbean.CompositeData) mbeans.getAttribute(pool, "PeakUsage");
        peak += (Long) usage.get("used");
      }
    }
    return peak;
  }

  @Override
  public void close() throws Exception {
    try {
      jmx.close();
    } catch (IOException e) {
      // the process may already be gone
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitServing(Process process, int port, Path log, Duration patience) throws Exception {
    long end = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited with " + process.exitValue() + " while starting; see " + log.toAbsolutePath());
      }
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        ServingStatus status =
            HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus();
        if (status == ServingStatus.SERVING) {
          return;
        }
      } catch (RuntimeException e) {
        // not listening yet
      } finally {
        channel.shutdownNow();
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the server was not SERVING within " + patience + "; see " + log.toAbsolutePath());
  }

  /** The classpath this program runs with: the shaded jar, or under a test, surefire's classpath. */
  private static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
