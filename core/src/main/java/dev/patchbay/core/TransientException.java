package dev.patchbay.core;

/**
 * A failure that may pass if the same operation is tried again (a timeout, a dropped connection,
 * a lost acknowledgement). Patterns retry the operation with bounded, jittered backoff; a
 * destination that throws it must leave the batch safe to write again.
 */
public final class TransientException extends PatchbayException {

  public TransientException(String message) {
    super(message, null);
  }

  public TransientException(String message, Throwable cause) {
    super(message, cause);
  }
}
