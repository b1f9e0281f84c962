package dev.patchbay.testing;

import static org.quicktheories.QuickTheory.qt;

import org.quicktheories.QuickTheory;

/** (Test jar.) Property tests print their seed and take {@code -Dpatchbay.seed=N} to reproduce a run. */
public final class Seeds {

  private Seeds() {
  }

  public static QuickTheory theory(String property, int examples) {
    String given = System.getProperty("patchbay.seed");
    long seed = given != null ? Long.parseLong(given) : System.nanoTime();
    System.out.println("[seed] " + property + ": " + seed + " (reproduce with -Dpatchbay.seed=" + seed + ")");
    return qt().withFixedSeed(seed).withExamples(examples).withShrinkCycles(examples * 4);
  }

}
