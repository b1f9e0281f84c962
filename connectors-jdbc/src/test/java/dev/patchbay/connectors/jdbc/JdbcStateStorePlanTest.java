package dev.patchbay.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Fields;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.Progress;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A fault found by the aggregation's benchmark: on PostgreSQL, right after a run saved many entries
 * (its statistics not yet updated), a lookup by key read the whole space through the index led by
 * (state_name, space) (then through one led by the tag, whose other columns it scanned in full), so
 * each lookup cost in proportion to the entries: a run of 100,000 records took 232 s where the
 * database's own merge took 0.3 s. A lookup by key uses the key now.
 */
class JdbcStateStorePlanTest {

  @Test
  void onPostgreSql_aLookupOfABatchOfKeys_usesTheKeys_notAScanOfTheSpace() throws Exception {
    DataSource ds = TestDatabases.POSTGRESQL.dataSource();
    String prefix = "plan_state";
    for (String t : List.of("_progress", "_entries", "_leases")) {
      TestDatabases.execute(ds, "DROP TABLE IF EXISTS " + prefix + t);
    }
    JdbcStateStore store = JdbcStateStore.of(ds, prefix);
    try (NamedState state = store.open("many")) {
      for (int batch = 0; batch < 20; batch++) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          entries.add(new Entry("entity", "k" + batch + "-" + i, null, null, Fields.of("n", (long) i)));
        }
        state.save(Progress.start(Instant.now()), entries);
      }
      assertEquals(3, state.entries("entity", List.of("k0-1", "k7-7", "k19-999")).size());
    }
    String plan;
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("EXPLAIN SELECT entry_key, alias, tag,"
        + " entry_value FROM " + prefix + "_entries WHERE state_name = ? AND space = ? AND entry_key = ANY(?)")) {
      Object[] asked = new Object[1_000];   // a batch's worth, as a run asks them
      for (int i = 0; i < asked.length; i++) {
        asked[i] = "k3-" + i;
      }
      Array keys = c.createArrayOf("varchar", asked);
      ps.setString(1, "many");
      ps.setString(2, "entity");
      ps.setArray(3, keys);
      StringBuilder text = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          text.append(rs.getString(1)).append('\n');
        }
      }
      plan = text.toString();
    }
    // The planner may read a table this small whole; what it must not do is walk an index of every entry of the space.
    List<String> lines = plan.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("Index Scan") || lines.get(i).contains("Index Only Scan")) {
        String cond = i + 1 < lines.size() ? lines.get(i + 1) : "";
        assertTrue(cond.contains("Index Cond:") && cond.contains("(entry_key)::text = ANY"), "an index walked by key:\n" + plan);
      }
    }
  }
}
