/**
 * Patchbay's Spring Boot autoconfiguration: the state store over the application's data source, the
 * patterns' lifecycle, health, meters and the migrations' endpoint. Spring reads its configuration
 * classes reflectively, so the package is open to Spring.
 */
module dev.patchbay.spring.boot.autoconfigure {
  requires transitive dev.patchbay.patterns;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.context;
  requires spring.beans;
  requires spring.core;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
  requires static dev.patchbay.connectors.jdbc;
  requires static dev.patchbay.micrometer;
  requires static micrometer.core;
  requires static spring.boot.actuator;
  requires static spring.boot.actuator.autoconfigure;

  exports dev.patchbay.spring.boot.autoconfigure;
  opens dev.patchbay.spring.boot.autoconfigure to spring.core, spring.beans, spring.context;
}
