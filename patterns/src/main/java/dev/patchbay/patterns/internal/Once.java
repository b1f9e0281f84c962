package dev.patchbay.patterns.internal;

import dev.patchbay.core.SetupException;

/**
 * The builders' two rules: each setting is given once (the message names it and what it was), and
 * {@code build()} names every required element missing, at once.
 */
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

  /**
   * Refuses to build where any required element is {@code missing}.
   *
   * @throws SetupException "Sync 'crm-permits' needs side B and a conflict policy"
   */
  public static void needs(String label, java.util.List<String> missing) {
    if (missing.isEmpty()) {
      return;
    }
    String list = missing.size() == 1 ? missing.get(0)
        : String.join(", ", missing.subList(0, missing.size() - 1)) + " and " + missing.get(missing.size() - 1);
    throw new SetupException(label + " needs " + list);
  }
}
