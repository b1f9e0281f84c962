package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.FeedReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an aggregation's input's records come from: one cursor over its source or feed, opened again at the
 * last position read where a read fails (for the retry).
 */
final class InputReader<S> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InputReader.class);

  private final Input<S> input;
  private Checkpoint at;
  private FeedReader.Stream<S> stream;

  InputReader(Input<S> input, Checkpoint at) {
    this.input = input;
    this.at = at;
  }

  FeedReader.Batch<S> next(int limit) {
    if (stream == null) {
      stream = input.whole() ? FeedReader.Stream.of(input.source, at) : FeedReader.Stream.of(input.feed, at);
    }
    try {
      FeedReader.Batch<S> batch = stream.next(limit);
      if (!batch.positions().isEmpty()) {
        at = batch.positions().get(batch.positions().size() - 1);
      }
      return batch;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (stream != null) {
      FeedReader.Stream<S> s = stream;
      stream = null;
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.debug("closing input '{}' failed: {}", input.name, Failures.forLog(e));
      }
    }
  }
}
