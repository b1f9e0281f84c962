package dev.patchbay.patterns;

/**
 * Told where a run is, after each batch (or chunk, or page) it settles: for a host that draws its
 * own progress bar. The engine logs the same at INFO every ten seconds of a long run, whether or
 * not anyone listens. Called on the run's thread: keep it short.
 */
@FunctionalInterface
public interface ProgressListener {

  void progress(RunProgress progress);
}
