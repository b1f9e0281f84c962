package dev.patchbay.connectors.testkit;

import java.util.Random;

/**
 * Seeds for tests that draw at random: each prints its seed, and {@code -Dpatchbay.seed=N}
 * reproduces a run. The kit's own checks draw through it; so may a host's property tests:
 * {@code qt().withFixedSeed(Seeds.seed("my property")).withExamples(200)}.
 */
public final class Seeds {

  private Seeds() {
  }

  /** The seed to use: {@code -Dpatchbay.seed} where given, else a new one; printed with what it is for. */
  public static long seed(String what) {
    String given = System.getProperty("patchbay.seed");
    long seed = given != null ? Long.parseLong(given) : System.nanoTime();
    System.out.println("[seed] " + what + ": " + seed + " (reproduce with -Dpatchbay.seed=" + seed + ")");
    return seed;
  }

  /** A generator for {@code what}, from its {@link #seed}. */
  public static Random random(String what) {
    return new Random(seed(what));
  }
}
