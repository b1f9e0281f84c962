package dev.patchbay.connectors.testkit;

/**
 * Thrown by a {@link Faulty} connector at a planned {@link Faults.CrashPoint}: stands for the process
 * dying there. It is an {@link Error} so that no pattern catches it as a record or transient
 * failure; whatever the store had written before it stays written.
 */
public final class SimulatedCrash extends Error {

  public SimulatedCrash(String message) {
    super(message, null, false, false);
  }
}
