package dev.patchbay.core;

/**
 * Root of the one unchecked exception family Patchbay throws. Catch a subtype to decide what to
 * do: {@link SetupException} (fix the setup), {@link DataException} (one record is wrong),
 * {@link TransientException} (try again) or {@link HoldLostException} (stop: another run may hold
 * this run's state).
 */
public abstract sealed class PatchbayException extends RuntimeException
    permits SetupException, DataException, TransientException, HoldLostException {

  PatchbayException(String message, Throwable cause) {
    super(message, cause);
  }
}
