package dev.patchbay.core;

/**
 * The setup is wrong: a missing or repeated builder setting, an unusable configuration, a checkpoint
 * that cannot be read. Retrying does not help; the message names what to fix.
 */
public final class SetupException extends PatchbayException {

  public SetupException(String message) {
    super(message, null);
  }

  public SetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
