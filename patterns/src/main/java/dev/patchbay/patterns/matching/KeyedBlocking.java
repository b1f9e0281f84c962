package dev.patchbay.patterns.matching;

import dev.patchbay.core.Fields;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** A blocking given by its description, its fields, its single rules (null: itself) and the keys it files a record under. */
record KeyedBlocking(String description, Set<String> fields, List<Blocking> combined, Function<Fields, Set<String>> keysOf)
    implements Blocking {

  KeyedBlocking {
    fields = Set.copyOf(fields);
    combined = combined == null ? null : List.copyOf(combined);
  }

  @Override
  public Set<String> keys(Fields record) {
    return keysOf.apply(record);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public List<Blocking> rules() {
    return combined == null ? List.of(this) : combined;
  }

  @Override
  public String toString() {
    return description;
  }
}
