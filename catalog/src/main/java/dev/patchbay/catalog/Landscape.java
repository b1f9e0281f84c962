package dev.patchbay.catalog;

import dev.patchbay.core.catalog.CatalogEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The catalog as a picture of the landscape: each system a node, each integration an edge from its
 * source to its target, marked by its worst finding (a security finding first, then by severity),
 * written in the forms architects draw with elsewhere: Mermaid, Graphviz DOT and the Structurizr DSL.
 *
 * <pre>{@code
 * List<Finding> findings = ReviewRule.review(catalog, systems, ReviewRule.all());
 * Files.writeString(Path.of("landscape.dot"), Landscape.of(catalog, findings).dot());
 * }</pre>
 */
public final class Landscape {

  /**
   * An integration as an edge.
   *
   * @param entry the catalog entry
   * @param worst its worst finding, where it has one
   */
  public record Edge(CatalogEntry entry, Optional<Finding> worst) {

    /** The edge's mark: {@code security}, the worst finding's severity in lower case, or {@code ok}. */
    public String mark() {
      return worst.map(f -> f.security() ? "security" : f.severity().name().toLowerCase(java.util.Locale.ROOT)).orElse("ok");
    }
  }

  /** The colour of each mark, the same in every form: security red, then orange, amber, blue; no finding grey. */
  public static final Map<String, String> COLOURS = Map.of("security", "#c62828", "critical", "#c62828", "high", "#ef6c00",
      "medium", "#f9a825", "low", "#1565c0", "ok", "#9e9e9e");

  private final List<String> systems;
  private final List<Edge> edges;

  private Landscape(List<String> systems, List<Edge> edges) {
    this.systems = List.copyOf(systems);
    this.edges = List.copyOf(edges);
  }

  /** The landscape of {@code catalog}, each integration marked by the worst of {@code findings} about it. */
  public static Landscape of(List<CatalogEntry> catalog, List<Finding> findings) {
    TreeSet<String> systems = new TreeSet<>();
    List<Edge> edges = new ArrayList<>();
    Comparator<Finding> worstFirst = Comparator.comparing((Finding f) -> !f.security()).thenComparing(Finding::severity);
    for (CatalogEntry e : catalog) {
      systems.add(e.sourceSystem());
      systems.add(e.targetSystem());
      edges.add(new Edge(e, findings.stream().filter(f -> f.entry().equals(e)).min(worstFirst)));
    }
    return new Landscape(new ArrayList<>(systems), edges);
  }

  /** The systems, in name order. */
  public List<String> systems() {
    return systems;
  }

  /** The integrations, in catalog order. */
  public List<Edge> edges() {
    return edges;
  }

  /** A Mermaid flowchart, left to right; each edge styled by its mark ({@code linkStyle}). */
  public String mermaid() {
    StringBuilder out = new StringBuilder("flowchart LR\n");
    Map<String, String> ids = ids();
    systems.forEach(s -> out.append("  ").append(ids.get(s)).append("[\"").append(mermaidText(s)).append("\"]\n"));
    for (Edge e : edges) {
      out.append("  ").append(ids.get(e.entry().sourceSystem())).append(" -->|\"").append(mermaidText(label(e)))
          .append("\"| ").append(ids.get(e.entry().targetSystem())).append('\n');
    }
    for (int i = 0; i < edges.size(); i++) {
      out.append("  linkStyle ").append(i).append(" stroke:").append(COLOURS.get(edges.get(i).mark())).append(",stroke-width:2px\n");
    }
    return out.toString();
  }

  /** Graphviz DOT: a directed graph, left to right, each edge coloured by its mark and its tooltip the finding. */
  public String dot() {
    StringBuilder out = new StringBuilder("digraph landscape {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    systems.forEach(s -> out.append("  ").append(dotText(s)).append(";\n"));
    for (Edge e : edges) {
      out.append("  ").append(dotText(e.entry().sourceSystem())).append(" -> ").append(dotText(e.entry().targetSystem()))
          .append(" [label=").append(dotText(label(e))).append(", color=\"").append(COLOURS.get(e.mark())).append('"')
          .append(e.worst().map(f -> ", tooltip=" + dotText(f.rule() + ": " + f.explanation())).orElse("")).append("];\n");
    }
    return out.append("}\n").toString();
  }

  /** A Structurizr DSL workspace: each system a software system, each integration a relationship tagged by its mark. */
  public String structurizr() {
    StringBuilder out = new StringBuilder("workspace \"Integration landscape\" {\n  model {\n");
    Map<String, String> ids = ids();
    systems.forEach(s -> out.append("    ").append(ids.get(s)).append(" = softwareSystem ").append(quoted(s)).append('\n'));
    for (Edge e : edges) {
      out.append("    ").append(ids.get(e.entry().sourceSystem())).append(" -> ").append(ids.get(e.entry().targetSystem()))
          .append(' ').append(quoted(label(e))).append(' ').append(quoted(e.entry().method() == null ? "" : e.entry().method().name()))
          .append(' ').append(quoted(e.mark())).append('\n');
    }
    out.append("  }\n  views {\n    systemLandscape {\n      include *\n      autoLayout lr\n    }\n    styles {\n");
    COLOURS.forEach((mark, colour) -> out.append("      relationship ").append(quoted(mark)).append(" {\n        color ").append(colour)
        .append("\n      }\n"));
    return out.append("    }\n  }\n}\n").toString();
  }

  private static String label(Edge e) {
    return e.entry().name() + " (" + e.entry().dataElement() + ")";
  }

  /** An identifier per system, stable and safe in every form: s1, s2, ... in name order. */
  private Map<String, String> ids() {
    Map<String, String> ids = new LinkedHashMap<>();
    systems.forEach(s -> ids.put(s, "s" + (ids.size() + 1)));
    return ids;
  }

  private static String mermaidText(String text) {
    return text.replace("\"", "#quot;");
  }

  private static String dotText(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\"", "'") + "\"";
  }
}
