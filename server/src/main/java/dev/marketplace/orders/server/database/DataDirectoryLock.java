package dev.marketplace.orders.server.database;

import dev.marketplace.orders.server.config.StartupException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive right of one process to a data directory: the embedded database's files and the
 * development token secret. Held as an operating-system lock on {@value #FILE} inside the directory,
 * which also holds the owner's pid so that a refused process can say who has it. The kernel drops
 * the lock when its process dies in any way, so a crashed server never blocks the next start.
 *
 * <p>Taken before anything in the directory is read or written, released after the database has
 * stopped. Nothing here deletes anything: the lock file stays, with the pid of its last owner.
 */
public final class DataDirectoryLock implements AutoCloseable {

  static final String FILE = "orders-server.lock";

  /**
   * Directories locked by this JVM. POSIX record locks belong to the process, and closing any
   * descriptor of the file drops them; a second attempt from this process therefore must not even
   * open the file.
   */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dataDir} (created if missing) for this process, or fails with a one-line
   * {@link StartupException} naming the process that holds it.
   */
  public static DataDirectoryLock acquire(Path dataDir) {
    Path directory;
    try {
      Files.createDirectories(dataDir);
      directory = dataDir.toRealPath();
    } catch (IOException e) {
      throw new StartupException("cannot create the data directory " + dataDir.toAbsolutePath() + ": " + StartupException.describe(e));
    }
    long pid = ProcessHandle.current().pid();
    if (!HELD_HERE.add(directory)) {
      throw inUse(directory, "process " + pid + " (this one)");
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(directory.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        HELD_HERE.remove(directory);
        throw inUse(directory, holder);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
      return new DataDirectoryLock(directory, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      HELD_HERE.remove(directory);
      throw new StartupException("cannot lock the data directory " + directory + ": " + StartupException.describe(e));
    }
  }

  /** The locked directory, as a real (absolute, symlink-free) path. */
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it as well.
    }
    closeQuietly(channel);
    HELD_HERE.remove(directory);
  }

  private static StartupException inUse(Path directory, String holder) {
    return new StartupException(
        "data directory " + directory + " is in use by " + holder
            + "; stop that server, or give this one another directory (ORDERS_DATA_DIR, --data-dir)");
  }

  /** "process 1234" from the lock file, or a vaguer phrase when its owner has not written it yet. */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    return text.matches("\\d+") ? "process " + text : "another process";
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to do
      }
    }
  }
}
