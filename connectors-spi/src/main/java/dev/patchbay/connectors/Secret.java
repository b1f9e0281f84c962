package dev.patchbay.connectors;

import java.util.Objects;

/**
 * A secret configuration value (a password, a token). Prints as {@code [hidden]} everywhere:
 * {@code toString}, reports, exception messages and logs; only {@link #reveal()} gives the value,
 * to the code that must pass it on.
 */
public final class Secret {

  private static final String HIDDEN = "[hidden]";
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The value itself: hand it to the driver or client that needs it, and nowhere else. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return HIDDEN;
  }

  /** Secrets are not compared by value, so that no equality check can probe one. */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
