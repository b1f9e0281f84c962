package dev.patchbay.patterns.correlation;

import dev.patchbay.core.Fields;
import java.util.Set;
import java.util.function.Function;

/** A blocking given by its description and the keys it files a record under. */
record KeyedBlocking(String description, Function<Fields, Set<String>> keysOf) implements Blocking {

  @Override
  public Set<String> keys(Fields record) {
    return keysOf.apply(record);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
