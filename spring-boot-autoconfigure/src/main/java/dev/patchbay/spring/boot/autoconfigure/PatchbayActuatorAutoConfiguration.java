package dev.patchbay.spring.boot.autoconfigure;

import dev.patchbay.micrometer.PatchbayMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Patchbay in Spring Boot's Actuator, where the application has it: a health entry per pattern
 * ({@code /actuator/health/patchbay/<name>}, see {@link PatternHealth}'s rules: DOWN for a parked
 * destination or a failed run, OUT_OF_SERVICE for a blocked one), the patterns' meters in the
 * application's registry (never the global one), and the migrations' endpoint, off unless turned on.
 */
@AutoConfiguration(after = PatchbayAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
public class PatchbayActuatorAutoConfiguration {

  /** Made by Spring Boot, from the autoconfiguration imports. */
  public PatchbayActuatorAutoConfiguration() {
  }

  /** A health entry per pattern bean, under {@code patchbay}; off with {@code management.health.patchbay.enabled=false}. */
  @Bean
  @ConditionalOnEnabledHealthIndicator("patchbay")
  @ConditionalOnMissingBean(name = "patchbayHealthContributor")
  CompositeHealthContributor patchbayHealthContributor(PatternBeans patterns, ObjectProvider<PatchbayLifecycle> lifecycle) {
    Map<String, PatternHealth> each = new LinkedHashMap<>();
    patterns.byName().forEach((name, pattern) -> each.put(name, new PatternHealth(pattern, () -> {
      PatchbayLifecycle l = lifecycle.getIfAvailable();
      return l != null && l.standsBy(name);
    })));
    return CompositeHealthContributor.fromMap(each);
  }

  /** The migrations' endpoint: plan, run and read runs on command. */
  @Bean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnMissingBean
  PatchbayEndpoint patchbayEndpoint(PatternBeans patterns) {
    return new PatchbayEndpoint(patterns);
  }

  /** The patterns' meters, bound by Spring Boot to the application's registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, PatchbayMetrics.class})
  static class Meters {

    @Bean
    @ConditionalOnMissingBean
    PatchbayMetrics patchbayMetrics(PatternBeans patterns) {
      return new PatchbayMetrics(patterns.all());
    }
  }
}
