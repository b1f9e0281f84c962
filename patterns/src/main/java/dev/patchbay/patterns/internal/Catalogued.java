package dev.patchbay.patterns.internal;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.catalog.CatalogEntry;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** A pattern's catalog entry: what the code knows, over what a person declared. */
public final class Catalogued {

  private Catalogued() {
  }

  /**
   * The entry for data moving from {@code source} to {@code target} (each a {@link Connector} or
   * not). Declared values come first; then what the code knows replaces them: the pattern, trigger
   * and synchronization type; from connectors, the data element, systems, owners they name, the
   * method (the target's, else the source's), sensitive fields (added to those declared) and
   * encryption (unencrypted if a connector is; encrypted if both are).
   *
   * @throws IllegalArgumentException naming what neither the code nor the declaration gave
   */
  public static CatalogEntry entry(String name, CatalogEntry.Pattern pattern, CatalogEntry.Trigger trigger,
      CatalogEntry.SyncType syncType, Object source, Object target, UnaryOperator<CatalogEntry.Builder> declared) {
    Objects.requireNonNull(declared, "declared");
    ConnectorDescription from = source instanceof Connector c ? c.description() : null;
    ConnectorDescription to = target instanceof Connector c ? c.description() : null;
    CatalogEntry.Builder start = CatalogEntry.builder(name, from != null ? from.dataElement() : to != null ? to.dataElement() : null)
        .pattern(pattern).status(CatalogEntry.Status.PROPOSED)
        .from(from == null ? null : from.system(), null).to(to == null ? null : to.system(), null);
    CatalogEntry said = declared.apply(start).build();

    CatalogEntry.Builder b = said.toBuilder().pattern(pattern).syncType(syncType);
    if (trigger != null) {
      b.trigger(trigger);
    }
    if (from != null) {
      b.dataElement(from.dataElement()).from(from.system(), from.owner() != null ? from.owner() : said.sourceOwner());
    }
    if (to != null) {
      b.to(to.system(), to.owner() != null ? to.owner() : said.targetOwner());
    }
    if (to != null || from != null) {
      b.method(to != null ? to.method() : from.method());
    }
    Set<String> sensitive = new TreeSet<>(said.security().sensitiveFields());
    Boolean encrypted = said.security().encrypted();
    var known = new ArrayList<ConnectorDescription>();
    for (ConnectorDescription d : new ConnectorDescription[] {from, to}) {
      if (d != null) {
        known.add(d);
        sensitive.addAll(d.sensitiveFields());
      }
    }
    if (known.stream().anyMatch(d -> !d.encryptedTransport())) {
      encrypted = false;
    } else if (known.size() == 2) {
      encrypted = true;
    }
    return b.security(new CatalogEntry.Security(sensitive, encrypted, said.security().concerns())).build();
  }
}
