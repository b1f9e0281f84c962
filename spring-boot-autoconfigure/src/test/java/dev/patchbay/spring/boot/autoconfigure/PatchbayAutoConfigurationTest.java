package dev.patchbay.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.Report;
import dev.patchbay.patterns.Parameters;
import dev.patchbay.patterns.RunListener;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.DestinationStatus;
import dev.patchbay.patterns.broadcast.Route;
import dev.patchbay.patterns.migration.Migration;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The autoconfiguration in application contexts of its own (H2 and in-memory connectors): which
 * beans it makes and when, the lifecycle's starts and stops, the names it refuses, the endpoint
 * off by default, and the properties' metadata.
 */
class PatchbayAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PatchbayAutoConfiguration.class, PatchbayActuatorAutoConfiguration.class));

  private final ApplicationContextRunner withH2 = runner
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
      .withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconfig-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");

  /** An in-memory migration of three records, from "legacy" to "crm". */
  static Migration<Fields, Fields> migration(String name, StateStore state, InMemoryStore<Fields> source, InMemoryStore<Fields> target) {
    return Migration.builder().name(name).source(source).scope(ScopeCriteria.all()).transform(Transform.<Fields>identity()).destination(target)
        .state(state).build();
  }

  static InMemoryStore<Fields> three() {
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    source.putAll(List.of(Envelope.of("a", Fields.of("n", 1L)), Envelope.of("b", Fields.of("n", 2L)),
        Envelope.of("c", Fields.of("n", 3L))));
    return source;
  }

  @Configuration(proxyBeanMethods = false)
  static class OneMigration {
    final InMemoryStore<Fields> target = InMemoryStore.create("crm");

    @Bean
    InMemoryStore<Fields> target() {
      return target;
    }

    @Bean
    Migration<Fields, Fields> contacts(StateStore state) {
      return migration("contacts", state, three(), target);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class InMemoryState {
    @Bean
    StateStore state() {
      return StateStore.inMemory();
    }
  }

  @Test
  void theStateStoreIsMadeOverTheApplicationsDataSource_withThePrefixOfTheProperties() {
    withH2.withUserConfiguration(OneMigration.class)
        .withPropertyValues("patchbay.state.table-prefix=svc_state", "patchbay.patterns.contacts.run-at-start=true")
        .run(context -> {
          assertThat(context).hasSingleBean(StateStore.class);
          assertThat(context.getBean(StateStore.class)).isInstanceOf(JdbcStateStore.class);
          Migration<?, ?> m = context.getBean(Migration.class);
          await(() -> m.status().last().isPresent());
          assertEquals("COMPLETED", m.status().last().get().status().name(), m.status().last().get().summary());
          List<String> tables = new ArrayList<>();
          try (Connection c = context.getBean(DataSource.class).getConnection();
               ResultSet rs = c.getMetaData().getTables(null, null, "SVC_STATE%", null)) {
            while (rs.next()) {
              tables.add(rs.getString("TABLE_NAME"));
            }
          }
          assertThat(tables).as("the state store's tables, in the application's database").contains("SVC_STATE_PROGRESS",
              "SVC_STATE_ENTRIES");
        });
  }

  @Test
  void theApplicationsOwnStateStoreWins_andWithoutADataSourceThereIsNone() {
    withH2.withUserConfiguration(InMemoryState.class).run(context -> {
      assertThat(context).hasSingleBean(StateStore.class);
      assertThat(context).doesNotHaveBean(JdbcStateStore.class);
    });
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(StateStore.class);
      assertThat(context).hasSingleBean(PatchbayLifecycle.class);
    });
  }

  @Test
  void aPatternWithoutASchedule_waitsForTheApplication() {
    runner.withUserConfiguration(InMemoryState.class, OneMigration.class).run(context -> {
      Thread.sleep(300);
      PatternStatus status = context.getBean(Migration.class).status();
      assertEquals(PatternStatus.State.IDLE, status.state());
      assertTrue(status.last().isEmpty(), "never run");
      assertTrue(context.getBean(OneMigration.class).target.snapshot().isEmpty());
    });
  }

  @Test
  void everyRunsItOnASchedule_untilTheContextCloses() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    runner.withUserConfiguration(InMemoryState.class, OneMigration.class)
        .withPropertyValues("patchbay.patterns.contacts.every=50ms")
        .run(context -> {
          Migration<?, ?> m = context.getBean(Migration.class);
          m.listen(new RunListener() {
            @Override
            public void ended(Report report) {
              runs.incrementAndGet();
            }
          });
          await(() -> runs.get() >= 3);
          assertEquals(3, context.getBean(OneMigration.class).target.snapshot().size());
          assertThat(context.getBean(PatchbayLifecycle.class).isRunning()).isTrue();
        });
    int atClose = runs.get();
    Thread.sleep(300);
    assertEquals(atClose, runs.get(), "no run after the context closed");
  }

  @Test
  void aKeyThatNamesNoPattern_stopsTheStart_namingIt() {
    runner.withUserConfiguration(InMemoryState.class, OneMigration.class)
        .withPropertyValues("patchbay.patterns.contact.every=1m")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().hasMessage(
              "patchbay.patterns.contact names no pattern bean; the patterns are: contacts");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoOfOneName {
    @Bean
    Migration<Fields, Fields> first(StateStore state) {
      return migration("contacts", state, three(), InMemoryStore.create("x"));
    }

    @Bean
    Migration<Fields, Fields> second(StateStore state) {
      return migration("contacts", state, three(), InMemoryStore.create("y"));
    }
  }

  @Test
  void twoPatternBeansOfOneName_areRefused_namingBoth() {
    runner.withUserConfiguration(InMemoryState.class, TwoOfOneName.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
          "beans 'first' and 'second' are both patterns named 'contacts'");
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OneBroadcast {
    @Bean
    Broadcast orders(StateStore state) {
      return Broadcast.builder().name("orders").aggregateType("order").outbox(Outbox.inMemory()).state(state)
          .destination(Route.to("erp").into(InMemoryStore.<Fields>create("erp"))).build();
    }
  }

  @Test
  void aBroadcastIsStartedWithTheContext_andClosedWithIt_unlessLeftToTheApplication() {
    Broadcast[] held = new Broadcast[1];
    runner.withUserConfiguration(InMemoryState.class, OneBroadcast.class).run(context -> {
      held[0] = context.getBean(Broadcast.class);
      assertEquals(DestinationStatus.State.RUNNING, held[0].status().destination("erp").state());
    });
    assertEquals(DestinationStatus.State.STOPPED, held[0].status().destination("erp").state(), "closed with the context");
    runner.withUserConfiguration(InMemoryState.class, OneBroadcast.class)
        .withPropertyValues("patchbay.patterns.orders.auto-startup=false")
        .run(context -> assertEquals(DestinationStatus.State.STOPPED,
            context.getBean(Broadcast.class).status().destination("erp").state()));
    runner.withUserConfiguration(InMemoryState.class, OneBroadcast.class)
        .withPropertyValues("patchbay.patterns.orders.every=1m")
        .run(context -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
            "patchbay.patterns.orders: a broadcast is started with the context"));
  }

  @Configuration(proxyBeanMethods = false)
  static class SlowMigration {
    static final CountDownLatch READING = new CountDownLatch(1);

    @Bean
    Migration<Fields, Fields> slow(StateStore state) {
      // each record takes 3 s and will not be interrupted: the run reaches no checkpoint for 9 s
      return Migration.builder().name("slow").<Fields>source(three().peek(r -> {
        READING.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        boolean interrupted = false;
        while (System.nanoTime() < until) {
          try {
            Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      })).scope(ScopeCriteria.all()).transform(Transform.<Fields>identity()).destination(InMemoryStore.create("z")).state(state).build();
    }
  }

  @Test
  void theContextWaitsForACheckpointNoLongerThanTheStopTimeout() {
    long[] closed = new long[1];
    runner.withUserConfiguration(InMemoryState.class, SlowMigration.class)
        .withPropertyValues("patchbay.patterns.slow.run-at-start=true", "patchbay.lifecycle.stop-timeout=300ms")
        .run(context -> {
          assertTrue(SlowMigration.READING.await(10, TimeUnit.SECONDS));
          closed[0] = System.nanoTime();
        });
    long took = (System.nanoTime() - closed[0]) / 1_000_000;
    assertTrue(took < 2_500, "the context closed " + took + " ms after being asked, with a run 9 s from its checkpoint");
  }

  @Test
  void theMigrationsEndpointIsOffUnlessTurnedOnAndExposed() {
    // exposed over JMX here (this context has no web server); the sample service's test asks it over HTTP
    runner.withUserConfiguration(InMemoryState.class, OneMigration.class)
        .run(context -> assertThat(context).doesNotHaveBean(PatchbayEndpoint.class));
    runner.withUserConfiguration(InMemoryState.class, OneMigration.class)
        .withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=patchbay")
        .run(context -> assertThat(context).doesNotHaveBean(PatchbayEndpoint.class));
    runner.withUserConfiguration(InMemoryState.class, OneMigration.class)
        .withPropertyValues("management.endpoint.patchbay.access=UNRESTRICTED", "spring.jmx.enabled=true",   // a runner has no lenient enums
            "management.endpoints.jmx.exposure.include=patchbay")
        .run(context -> assertThat(context).hasSingleBean(PatchbayEndpoint.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class ByRegion {
    final InMemoryStore<Fields> target = InMemoryStore.create("crm");

    @Bean
    Migration<Fields, Fields> byRegion(StateStore state) {
      return Migration.builder().name("by-region").source(three())
          .scopeFor(p -> ScopeCriteria.<Fields>where("region " + p.get("region"), r -> true))
          .transform(Transform.<Fields>identity()).destination(target).state(state).build();
    }
  }

  @Test
  void theEndpoint_namesAParameterTheMigrationNeeds_andAMigrationNotThere() {
    runner.withUserConfiguration(InMemoryState.class, ByRegion.class)
        .withPropertyValues("management.endpoint.patchbay.access=UNRESTRICTED", "spring.jmx.enabled=true",
            "management.endpoints.jmx.exposure.include=patchbay")
        .run(context -> {
          PatchbayEndpoint endpoint = context.getBean(PatchbayEndpoint.class);
          var missing = endpoint.command("by-region", "plan", null);
          assertEquals(400, missing.getStatus());
          assertEquals(java.util.Map.of("error", "the run needs parameter 'region'; it was given none"), missing.getBody());
          var bad = endpoint.command("by-region", "run", "region");
          assertEquals(400, bad.getStatus());
          var absent = endpoint.command("by-regoin", "plan", "region=north");
          assertEquals(404, absent.getStatus());
          assertEquals(java.util.Map.of("error", "no migration is named 'by-regoin'; the migrations are: by-region"), absent.getBody());
          var planned = endpoint.command("by-region", "plan", "region=north");
          assertEquals(200, planned.getStatus());
          assertEquals(3, planned.getBody().get("writes"));
        });
  }

  @Test
  void theEndpointsParametersAreWrittenAsAQuery() {
    assertEquals(Parameters.of("region", "north", "since", "2025-01-01"), PatchbayEndpoint.parameters("region=north&since=2025-01-01"));
    assertEquals(Parameters.of("note", "a&b=c"), PatchbayEndpoint.parameters("note=a%26b%3Dc"));
    assertEquals(Parameters.of("name", "\uD83C\uDF3F fern"), PatchbayEndpoint.parameters("name=%F0%9F%8C%BF+fern"));
    assertEquals(Parameters.none(), PatchbayEndpoint.parameters(null));
    assertEquals("parameter 'a' is given twice",
        assertThrows(IllegalArgumentException.class, () -> PatchbayEndpoint.parameters("a=1&a=2")).getMessage());
    assertEquals("parameters are written name=value&name=value; 'region' has no '='",
        assertThrows(IllegalArgumentException.class, () -> PatchbayEndpoint.parameters("region")).getMessage());
  }

  @Test
  void aHealthEntryPerPattern_underPatchbay() {
    runner.withUserConfiguration(InMemoryState.class, OneMigration.class, OneBroadcast.class).run(context -> {
      CompositeHealthContributor patchbay = context.getBean("patchbayHealthContributor", CompositeHealthContributor.class);
      List<String> names = new ArrayList<>();
      patchbay.forEach(c -> names.add(c.getName()));
      assertEquals(List.of("contacts", "orders"), names.stream().sorted().toList());
      assertEquals(Status.UP, ((HealthIndicator) patchbay.getContributor("orders")).health().getStatus());
    });
    runner.withUserConfiguration(InMemoryState.class, OneMigration.class)
        .withPropertyValues("management.health.patchbay.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("patchbayHealthContributor"));
  }

  @Test
  void everyPropertyIsInTheMetadata_withADescription() throws Exception {
    JsonNode metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new ObjectMapper().readTree(in);
    }
    List<String> described = new ArrayList<>();
    for (JsonNode p : metadata.get("properties")) {
      if (p.path("description").asText().length() > 20) {
        described.add(p.get("name").asText());
      }
    }
    assertThat(described).contains("patchbay.state.table-prefix", "patchbay.state.lease-grace", "patchbay.lifecycle.auto-startup",
        "patchbay.lifecycle.stop-timeout", "patchbay.patterns", "management.health.patchbay.enabled",
        "management.endpoint.patchbay.access");
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  static void await(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s");
      }
      Thread.sleep(10);
    }
  }
}
