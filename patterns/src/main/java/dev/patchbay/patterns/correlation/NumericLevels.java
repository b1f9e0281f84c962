package dev.patchbay.patterns.correlation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/** A comparator of amounts apart (days, a number's difference); values that are no amount compare as text. */
final class NumericLevels implements FieldComparator {
  private final String what;
  private final double[] atMost;
  private final ToDoubleBiFunction<Object, Object> apart;
  private final List<String> levels;

  NumericLevels(String what, double[] atMost, ToDoubleBiFunction<Object, Object> apart) {
    this.what = what;
    this.atMost = atMost;
    this.apart = apart;
    List<String> names = new ArrayList<>(List.of("equal"));
    for (double v : atMost) {
      names.add(what + " at most " + (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)));
    }
    names.add("else");
    this.levels = List.copyOf(names);
  }

  @Override
  public int level(Object a, Object b) {
    String x = Normalized.text(a);
    String y = Normalized.text(b);
    if (x == null || y == null) {
      return NEUTRAL;
    }
    double gap = apart.applyAsDouble(a, b);
    if (Double.isNaN(gap)) {
      return x.equals(y) ? 0 : atMost.length + 1;
    }
    if (gap == 0) {
      return 0;
    }
    for (int i = 0; i < atMost.length; i++) {
      if (gap <= atMost[i]) {
        return i + 1;
      }
    }
    return atMost.length + 1;
  }

  @Override
  public List<String> levels() {
    return levels;
  }

  @Override
  public String toString() {
    return what + " " + Arrays.toString(atMost);
  }
}
