package dev.patchbay.spring.boot.autoconfigure;

import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.core.state.StateStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Patchbay in a Spring Boot application: a {@link StateStore} over the application's
 * {@link DataSource} (tables {@code patchbay_*}, see {@link PatchbayProperties.State}) where it has
 * one data source and no state store of its own, and the {@link PatchbayLifecycle} that starts and
 * stops every pattern bean with the context. Patterns are the application's beans; give them the
 * state store by injecting it.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@EnableConfigurationProperties(PatchbayProperties.class)
public class PatchbayAutoConfiguration {

  /** Made by Spring Boot, from the autoconfiguration imports. */
  public PatchbayAutoConfiguration() {
  }

  /** The application's pattern beans by name, found once for the lifecycle, the health entries, the meters and the endpoint. */
  @Bean
  PatternBeans patchbayPatterns(ListableBeanFactory beans) {
    return PatternBeans.of(beans);
  }

  @Bean
  @ConditionalOnMissingBean
  PatchbayLifecycle patchbayLifecycle(PatternBeans patterns, PatchbayProperties properties) {
    return new PatchbayLifecycle(patterns, properties);
  }

  /** The state store over the application's data source. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcStateStore.class)
  @ConditionalOnSingleCandidate(DataSource.class)
  static class JdbcState {

    @Bean
    @ConditionalOnMissingBean(StateStore.class)
    JdbcStateStore patchbayStateStore(DataSource dataSource, PatchbayProperties properties) {
      return JdbcStateStore.of(dataSource, properties.getState().getTablePrefix(), properties.getState().getLeaseGrace());
    }
  }
}
