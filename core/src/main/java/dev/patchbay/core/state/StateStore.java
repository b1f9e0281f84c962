package dev.patchbay.core.state;

import java.nio.file.Path;

/**
 * Where patterns keep what they must remember between runs: positions, counts, failures and keyed
 * entries, saved together in one atomic step (see {@link NamedState#save}). One run per name holds
 * its state at a time: a second run of the name, in this process or (for a shared store) another,
 * is refused. Implementations are thread-safe; the connector test kit's {@code StateStoreContract}
 * is the contract a host's own implementation is checked against.
 */
public interface StateStore {

  /**
   * Takes the state of {@code name} for one run, until the returned state is closed.
   *
   * @throws dev.patchbay.core.SetupException naming the name, where another run holds it
   */
  NamedState open(String name);

  /** State in this object's memory: it survives a failed run, not the process. */
  static StateStore inMemory() {
    return new InMemoryStateStore();
  }

  /**
   * State in files of {@code directory}, created if absent: each name's saves are appended to
   * {@code NAME.state}, checksummed and forced to disk, and opening replays the file (a save torn
   * by a crash is dropped, with a warning); the file is rewritten compactly, by an atomic rename,
   * when it has grown to several times what it holds. A run holds an OS file lock on
   * {@code NAME.lock}, so two processes never run one name at once; on a local disk that lock
   * lives as long as the process and cannot be lost unseen. On a network file system it is the
   * server's lease (NFSv4) or a lock daemon's (NFSv3): a client cut off past its lease loses it
   * without being told, and another process may take the name; keep a directory store on a local
   * disk, or keep state in a database, whose holds are checked and fenced. Entries are held in
   * memory while a run holds them: for more than a few hundred thousand, keep state in a database.
   */
  static StateStore directory(Path directory) {
    return new DirectoryStateStore(directory);
  }
}
