package dev.patchbay.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A system that can say what changed since a checkpoint (a connector declares it as the capability
 * {@code READ_CHANGES}). Changes come in modification order, with the key as tiebreak,
 * so that records sharing one modification time are never skipped at a page or checkpoint
 * boundary. Where the system declares {@code DELETES_VISIBLE}, a removed record comes
 * as a {@link dev.patchbay.core.Change.Delete}. An upsert carries the whole record as it was when
 * read, as a lookup by key would give it: a sync decides from it without reading the record again.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface ChangeFeed<T> {

  /**
   * The changes after {@code after} ({@link Checkpoint#start()} for every record there is).
   *
   * @throws dev.patchbay.core.SetupException if {@code after} is not a checkpoint of this feed
   */
  ChangeCursor<T> changes(Checkpoint after);

  /**
   * The system's own clock, read now, where the system tells it; empty by default. A pattern that
   * compares two systems' modification times (last writer wins) measures their skew with it.
   */
  default Optional<Instant> now() {
    return Optional.empty();
  }
}
