package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorType;
import dev.patchbay.connectors.Setting;
import dev.patchbay.connectors.Settings;
import java.util.Arrays;
import java.util.List;

/**
 * The connector type {@code jdbc}: a {@link JdbcTable} from settings given as text, over a
 * pool of {@code poolSize} connections where HikariCP is on the class path (an optional dependency),
 * else over a {@link SimpleDataSource}; the table closes the pool. {@code columns} lists the field columns, comma-separated. Registered
 * for {@link java.util.ServiceLoader} discovery.
 */
public final class JdbcTableType implements ConnectorType {

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public List<Setting> settings() {
    return List.of(
        Setting.required("url", Setting.Kind.TEXT, "the JDBC URL"),
        Setting.optional("user", Setting.Kind.TEXT, "the database user"),
        Setting.optional("password", Setting.Kind.SECRET, "the database password"),
        Setting.required("system", Setting.Kind.TEXT, "the system's name"),
        Setting.required("dataElement", Setting.Kind.TEXT, "the kind of record held"),
        Setting.optional("owner", Setting.Kind.TEXT, "who is accountable for the system"),
        Setting.required("table", Setting.Kind.TEXT, "the table"),
        Setting.required("key", Setting.Kind.TEXT, "the key column"),
        Setting.required("columns", Setting.Kind.TEXT, "the field columns, comma-separated"),
        Setting.optional("modifiedAt", Setting.Kind.TEXT, "a TIMESTAMP column of modification times"),
        Setting.optional("softDelete", Setting.Kind.TEXT, "a BOOLEAN column that marks deleted rows"),
        Setting.optional("keySnapshot", Setting.Kind.TEXT, "a table of the keys the change feed has yielded, to find removed rows"),
        Setting.optional("pageSize", Setting.Kind.WHOLE_NUMBER, "rows per read query").atLeast(1),
        Setting.optional("encrypted", Setting.Kind.BOOLEAN, "whether the connection uses TLS"),
        Setting.optional("poolSize", Setting.Kind.WHOLE_NUMBER,
            "connections kept open, where HikariCP is on the class path (else each call opens one)").withDefault("4").atLeast(1));
  }

  @Override
  public Connector open(Settings s) {
    Pooled.Opened connections = Pooled.open(s.text("url").orElseThrow(), s.text("user").orElse(null), s.secret("password").orElse(null),
        s.number("poolSize").orElseThrow().intValue(), s.text("system").orElseThrow() + "-" + s.text("table").orElseThrow());
    JdbcTable.Builder b = JdbcTable.builder(connections.dataSource())
        .describedAs(s.text("system").orElseThrow(), s.text("dataElement").orElseThrow())
        .table(s.text("table").orElseThrow())
        .key(s.text("key").orElseThrow());
    Arrays.stream(s.text("columns").orElseThrow().split(",")).map(String::trim).filter(c -> !c.isEmpty())
        .forEach(b::column);
    s.text("owner").ifPresent(b::owner);
    s.text("modifiedAt").ifPresent(b::modifiedAt);
    s.text("softDelete").ifPresent(b::softDelete);
    s.text("keySnapshot").ifPresent(b::keySnapshot);
    s.number("pageSize").ifPresent(n -> b.pageSize(n.intValue()));
    s.flag("encrypted").ifPresent(b::encryptedTransport);
    if (connections.closer() != null) {
      b.owning(connections.closer());
    }
    return b.build();
  }
}
