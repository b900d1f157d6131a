package dev.marketplace.orders.server.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.server.config.StartupException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {

  @TempDir Path dir;

  @Test
  void acquire_createsTheDirectory_recordsThePid_andRefusesASecondHolderInThisProcess() throws Exception {
    Path dataDir = dir.resolve("data");
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir)) {
      assertThat(lock.directory()).isEqualTo(dataDir.toRealPath());
      assertThat(Files.readString(dataDir.resolve(DataDirectoryLock.FILE)).trim()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
      assertThatThrownBy(() -> DataDirectoryLock.acquire(dataDir))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("data directory " + dataDir.toRealPath() + " is in use by process " + ProcessHandle.current().pid());
    }
  }

  @Test
  void close_letsTheNextOneIn_andDeletesNothing() throws Exception {
    Files.writeString(dir.resolve("keep-me"), "data");
    DataDirectoryLock.acquire(dir).close();
    try (DataDirectoryLock again = DataDirectoryLock.acquire(dir)) {
      assertThat(again.directory()).isEqualTo(dir.toRealPath());
    }
    assertThat(dir.resolve("keep-me")).hasContent("data");
    assertThat(dir.resolve(DataDirectoryLock.FILE)).exists();
  }

  @Test
  void aDirectoryHeldByAnotherProcess_isRefusedNamingThatProcess_untilItExits() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, Holder.class.getName(), dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(output.readLine()).isEqualTo("locked");

      assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
          .isInstanceOf(StartupException.class)
          .hasMessage(
              "data directory " + dir.toRealPath() + " is in use by process " + holder.pid()
                  + "; stop that server, or give this one another directory (ORDERS_DATA_DIR, --data-dir)");

      assertThat(holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS)).as("the holder exits when killed").isTrue();
      try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir)) {
        assertThat(Files.readAllLines(dir.resolve(DataDirectoryLock.FILE))).isEqualTo(List.of(Long.toString(ProcessHandle.current().pid())));
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  /** Holds the lock on args[0] until killed. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      DataDirectoryLock lock = DataDirectoryLock.acquire(Path.of(args[0]));
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE); // not a condition: this process exists to hold the lock until the test kills it
      lock.close();
    }
  }
}
