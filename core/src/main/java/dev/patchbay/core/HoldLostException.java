package dev.patchbay.core;

/**
 * A run lost its hold on its state (the connection that held its lock dropped, and another run
 * took the name, or it could not be taken again): nothing was saved, and the run must stop, as
 * another run may now hold the same state and act on the same systems. Never retried.
 */
public final class HoldLostException extends PatchbayException {

  public HoldLostException(String message) {
    super(message, null);
  }

  public HoldLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
