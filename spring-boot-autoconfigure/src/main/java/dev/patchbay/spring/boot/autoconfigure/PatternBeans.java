package dev.patchbay.spring.boot.autoconfigure;

import dev.patchbay.patterns.Pattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The application's pattern beans, by pattern name: the one list the lifecycle, the health
 * contributor, the meters and the endpoint share. Two beans of one pattern name are refused, naming
 * both beans: they would share one state (and one run at a time) and one health entry.
 */
final class PatternBeans {

  private final Map<String, Pattern<?>> byName;

  private PatternBeans(Map<String, Pattern<?>> byName) {
    this.byName = byName;
  }

  static PatternBeans of(ListableBeanFactory beans) {
    Map<String, Pattern<?>> byName = new LinkedHashMap<>();
    Map<String, String> beanOf = new LinkedHashMap<>();
    @SuppressWarnings("rawtypes")
    Map<String, Pattern> found = beans.getBeansOfType(Pattern.class);
    found.forEach((bean, pattern) -> {
      String name = pattern.name();
      String other = beanOf.putIfAbsent(name, bean);
      if (other != null) {
        throw new IllegalStateException("beans '" + other + "' and '" + bean + "' are both patterns named '" + name
            + "'; a pattern's name is its state, its schedule and its health entry: give each its own");
      }
      byName.put(name, (Pattern<?>) pattern);
    });
    return new PatternBeans(byName);
  }

  List<Pattern<?>> all() {
    return List.copyOf(byName.values());
  }

  Map<String, Pattern<?>> byName() {
    return byName;
  }

  Optional<Pattern<?>> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
