package dev.patchbay.core;

import java.util.Iterator;

/**
 * An open read of a {@link ChangeFeed}: the changes after a checkpoint, oldest first. After each
 * {@link #next()}, {@link #checkpoint()} is the position just after that change. Not thread-safe;
 * {@link #close()} may be called more than once.
 *
 * @param <T> the payload type
 */
public interface ChangeCursor<T> extends Iterator<Change<T>>, AutoCloseable {

  /** The position just after the last change returned. */
  Checkpoint checkpoint();

  @Override
  default void close() {
  }
}
