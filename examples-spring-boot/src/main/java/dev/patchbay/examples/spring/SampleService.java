package dev.patchbay.examples.spring;

import dev.patchbay.connectors.jdbc.JdbcOutbox;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.Route;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A service with Patchbay's three everyday patterns as beans, through the starter: the legacy
 * contacts migrated into the CRM (parameterised by region, for the migrations' endpoint), closed-won
 * opportunities broadcast from the service's outbox to the ERP and billing, and the CRM's contacts
 * kept in sync with the permitting system. The starter gives them the state store (over the
 * service's data source), starts and stops them with the context, reports their health and meters.
 * Their schedules are in {@code application.properties}.
 */
@SpringBootApplication
public class SampleService {

  public static void main(String[] args) {
    SpringApplication.run(SampleService.class, args);
  }

  @Bean
  SampleSchema schema(DataSource dataSource, @Value("${sample.tables:sample}") String prefix,
                      @Value("${sample.seed:false}") boolean seed) {
    return SampleSchema.create(dataSource, prefix, seed);
  }

  /** The legacy system's contacts into the CRM's accounts; {@code region} narrows a run on command. */
  @Bean
  Migration<Fields, Fields> legacyContacts(SampleSchema schema, StateStore state) {
    return Migration.builder().name("legacy-contacts")
        .source(JdbcTable.builder(schema.dataSource()).describedAs("legacy", "contacts").table(schema.table("legacy"))
            .key("id").column("name").column("email").column("region").build())
        .scopeFor(p -> p.find("region")
            .map(region -> ScopeCriteria.<Fields>where("region " + region, r -> region.equals(r.payload().get("region"))))
            .orElse(ScopeCriteria.all()))
        .transform(Transform.<Fields>identity())
        .destination(JdbcTable.builder(schema.dataSource()).describedAs("crm", "accounts").table(schema.table("crm_accounts"))
            .key("id").column("name").column("email").column("region").build())
        .batchSize(500)
        .state(state)
        .build();
  }

  /** Closed-won opportunities, published to the service's outbox, to the ERP's orders and billing's invoices. */
  @Bean
  Broadcast closedWon(SampleSchema schema, StateStore state) {
    ScopeCriteria<Fields> won = ScopeCriteria.where("closed-won", r -> "won".equals(r.payload().get("stage")));
    return Broadcast.builder().name("closed-won").aggregateType("opportunity")
        .outbox(JdbcOutbox.of(schema.dataSource(), schema.table("outbox")))
        .state(state)
        .pollInterval(Duration.ofMillis(200))
        .destination(Route.to("erp").scope(won).transform(r -> r.withPayload(r.payload().without("stage")))
            .into(JdbcTable.builder(schema.dataSource()).describedAs("erp", "orders").table(schema.table("erp_orders"))
                .key("id").column("account").column("amount").build()))
        .destination(Route.to("billing").scope(won).transform(r -> r.withPayload(r.payload().without("stage")))
            .into(JdbcTable.builder(schema.dataSource()).describedAs("billing", "invoices").table(schema.table("invoices"))
                .key("id").column("account").column("amount").build()))
        .build();
  }

  /** The CRM's contacts and the permitting system's applicants, kept as one. */
  @Bean
  BidirectionalSync contactsSync(SampleSchema schema, StateStore state) {
    return BidirectionalSync.builder().name("contacts-sync")
        .sideA(JdbcTable.builder(schema.dataSource()).describedAs("crm", "contacts").table(schema.table("crm_contacts"))
            .key("id").column("name").column("city").modifiedAt("updated_at").softDelete("deleted").buildWithChanges())
        .sideB(JdbcTable.builder(schema.dataSource()).describedAs("permits", "applicants").table(schema.table("applicants"))
            .key("id").column("fullName", "full_name").column("town").modifiedAt("updated_at").softDelete("deleted")
            .buildWithChanges())
        .mapping(c -> Fields.ofNullable("fullName", c.get("name"), "town", c.get("city")),
                 p -> Fields.ofNullable("name", p.get("fullName"), "city", p.get("town")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ofSeconds(2), Side.A))
        .state(state)
        .build();
  }

  /**
   * The service's own security: health open (for the load balancer), the other actuator
   * endpoints, the migrations' endpoint among them, for an operator only.
   */
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers(EndpointRequest.to("health")).permitAll()
            .requestMatchers("/error").permitAll()     // so that an absent page is a 404, not a 401
            .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole("OPERATOR")
            .anyRequest().authenticated())
        .httpBasic(Customizer.withDefaults())
        .csrf(csrf -> csrf.ignoringRequestMatchers("/actuator/**"));   // called by machines with basic auth, not from a browser
    return http.build();
  }
}
