package dev.patchbay.patterns;

/**
 * Runs of a pattern on a schedule ({@link Pattern#every}); closing ends them, after the run under
 * way (if any) ends. Closing twice does nothing more.
 */
public interface Schedule extends AutoCloseable {

  /** Whether runs are still to come: false once closed or ended by {@link Pattern#stop()}. */
  boolean isActive();

  /** Ends the schedule and waits for the run under way, if any, to end. */
  @Override
  void close();
}
