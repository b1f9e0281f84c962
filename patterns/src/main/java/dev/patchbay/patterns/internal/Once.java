package dev.patchbay.patterns.internal;

import dev.patchbay.core.SetupException;

/** The builders' rule that each setting is given once, and the message that names it and what it was. */
public final class Once {

  private Once() {
  }

  /**
   * Refuses a second value of {@code setting}.
   *
   * @param label   the pattern and its name as far as known: "Migration 'legacy-cases'", or "Sync"
   * @param current the value set already, or null
   * @param shown   how to show it in the message; null where it has no useful text (a lambda)
   * @throws SetupException "Sync 'crm-permits': batch size was already set to 500"
   */
  public static void check(String label, String setting, Object current, Object shown) {
    if (current != null) {
      throw new SetupException(label + ": " + setting + " was already set" + (shown == null ? "" : " to " + shown));
    }
  }
}
