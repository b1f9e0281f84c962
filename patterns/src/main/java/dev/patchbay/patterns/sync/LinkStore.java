package dev.patchbay.patterns.sync;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Where a {@link BidirectionalSync} keeps its links and its position. Reads and writes are by key,
 * so a round costs in proportion to the changes, not to the number of links. {@link #save} must be
 * atomic: after a crash the store holds all of a save or none of it.
 */
public interface LinkStore {

  /** The position saved last; {@link SyncPosition#start()} before the first save. */
  SyncPosition position();

  /** The links of these side A keys, by A key; keys with no link are absent. */
  Map<String, Link> byA(Collection<String> aKeys);

  /** The links of these side B keys, by B key; keys with no link are absent. */
  Map<String, Link> byB(Collection<String> bKeys);

  /** How many pairs are {@link Link.State#LINKED}: the size a mass delete is measured against. */
  long linkedCount();

  /** Stores {@code links} (replacing those with the same A key) and {@code position}, together. */
  void save(Collection<Link> links, SyncPosition position);

  /**
   * Links in the host's database (H2, PostgreSQL, or MariaDB or MySQL): the tables
   * {@code <prefix>_links} and {@code <prefix>_positions}, created if absent, shared by syncs and
   * told apart by {@code syncName}. Reads are by key, and a save is one transaction.
   *
   * @throws dev.patchbay.core.SetupException if the tables cannot be created or reached, or the database is another
   */
  static LinkStore jdbc(DataSource dataSource, String syncName, String tablePrefix) {
    return new JdbcLinkStore(dataSource, syncName, tablePrefix);
  }

  /**
   * Links in a file of their own, created if absent: each save is a line appended and forced to
   * disk, and opening replays the file into memory (a line torn by a crash is dropped). The file
   * grows with every round's changes; for a few hundred thousand links and up, use {@link #jdbc}.
   */
  static LinkStore file(Path file) {
    return new FileLinkStore(file);
  }

  /** Links held in this object's memory: they survive a failed round, not the process. */
  static LinkStore inMemory() {
    return new InMemoryLinkStore();
  }
}
