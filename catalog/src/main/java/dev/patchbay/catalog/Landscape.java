package dev.patchbay.catalog;

import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.codec.Html;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.alg.drawing.FRLayoutAlgorithm2D;
import org.jgrapht.alg.drawing.model.Box2D;
import org.jgrapht.alg.drawing.model.MapLayoutModel2D;
import org.jgrapht.alg.drawing.model.Point2D;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

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
      return worst.map(f -> f.security() ? "security" : f.severity().name().toLowerCase(Locale.ROOT)).orElse("ok");
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

  /**
   * The landscape as inline SVG, for an HTML page (no script, no external font): systems placed by
   * a force-directed layout (JGraphT's Fruchterman-Reingold, seeded, so the same catalog draws the
   * same picture), each a box with its name; each integration a line with an arrow to its target,
   * coloured by its mark, its title the integration and its worst finding. Every line carries
   * {@code class="edge"}, {@code data-mark} and {@code data-integration}; every box
   * {@code data-system}.
   */
  public String svg() {
    double side = Math.max(640, 210 * Math.sqrt(systems.size()));
    Graph<String, DefaultEdge> graph = new SimpleGraph<>(
        DefaultEdge.class);
    systems.forEach(graph::addVertex);
    edges.forEach(e -> {
      if (!e.entry().sourceSystem().equals(e.entry().targetSystem())) {
        graph.addEdge(e.entry().sourceSystem(), e.entry().targetSystem());
      }
    });
    // Parts of the landscape that share no integration with the rest would be pushed to the corners:
    // for the layout only, each is tied to the system with most integrations (the tie is not drawn).
    List<Set<String>> parts = new ConnectivityInspector<>(graph).connectedSets();
    String hub = systems.stream().max(Comparator.comparingInt(graph::degreeOf).thenComparing(Comparator.reverseOrder())).orElse(null);
    for (Set<String> part : parts) {
      if (hub != null && !part.contains(hub)) {
        graph.addEdge(hub, part.stream().max(Comparator.comparingInt(graph::degreeOf).thenComparing(Comparator.reverseOrder())).orElseThrow());
      }
    }
    MapLayoutModel2D<String> layout = new MapLayoutModel2D<>(
        Box2D.of(60, 20, side - 120, side - 40));
    new FRLayoutAlgorithm2D<String, DefaultEdge>(300, 0.5, new Random(42))
        .layout(graph, layout);
    Map<String, double[]> at = new LinkedHashMap<>();
    for (String s : systems) {
      Point2D p = layout.get(s);
      double halfWidth = 8 + 3.6 * s.length();
      at.put(s, new double[] {Math.min(side - halfWidth - 2, Math.max(halfWidth + 2, p.getX())), Math.min(side - 14, Math.max(14, p.getY())),
          halfWidth, 12});
    }
    separate(systems.stream().sorted(Comparator.comparingInt(graph::degreeOf).reversed()).map(at::get).toList(), side);
    StringBuilder svg = new StringBuilder(64 * (systems.size() + edges.size()) + 1024);
    svg.append(String.format(Locale.ROOT, "<svg id=\"landscape\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\""
        + " width=\"100%%\" role=\"img\" aria-label=\"%d systems and %d integrations\"><defs>", side, side, systems.size(), edges.size()));
    new TreeMap<>(COLOURS).forEach((mark, colour) -> svg.append("<marker id=\"arrow-").append(mark)
        .append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
        .append("<path d=\"M0,0L10,5L0,10z\" fill=\"").append(colour).append("\"/></marker>"));
    svg.append("</defs><g class=\"edges\" fill=\"none\" stroke-width=\"1.6\">");
    for (Edge e : edges) {
      double[] from = at.get(e.entry().sourceSystem());
      double[] to = at.get(e.entry().targetSystem());
      double[] start = boundary(to[0], to[1], from);
      double[] end = boundary(from[0], from[1], to);
      svg.append(String.format(Locale.ROOT, "<line class=\"edge\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"",
              start[0], start[1], end[0], end[1]))
          .append(" stroke=\"").append(COLOURS.get(e.mark())).append("\" marker-end=\"url(#arrow-").append(e.mark()).append(")\"")
          .append(" data-mark=\"").append(e.mark()).append("\" data-integration=\"").append(xml(e.entry().name())).append("\"><title>")
          .append(xml(label(e) + e.worst().map(f -> ": " + f.rule() + ", " + f.explanation()).orElse(""))).append("</title></line>");
    }
    svg.append("</g><g class=\"systems\" font-family=\"system-ui, sans-serif\" font-size=\"11\" text-anchor=\"middle\">");
    at.forEach((s, p) -> svg.append(String.format(Locale.ROOT,
            "<g class=\"system\" data-system=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" fill=\"#fff\""
            + " stroke=\"#455a64\"/><text x=\"%.1f\" y=\"%.1f\">%s</text></g>",
        xml(s), p[0] - p[2], p[1] - p[3], 2 * p[2], 2 * p[3], p[0], p[1] + 4, xml(s))));
    return svg.append("</g></svg>").toString();
  }

  /**
   * Moves the boxes (centre x, centre y, half width, half height) so that none covers another: each
   * in turn, in the order given (the busiest systems first, so they keep their places), stays where
   * the layout put it if it is free, else goes to the nearest free place on a spiral around it, on
   * the canvas. A force-directed layout places centres, not boxes: at 150 systems, the names of the
   * neighbours of a busy system otherwise cover each other.
   */
  static void separate(List<double[]> boxes, double side) {
    List<double[]> placed = new ArrayList<>();
    for (double[] box : boxes) {
      double x = box[0];
      double y = box[1];
      search:
      for (double r = 0; r < 2 * side; r += 3) {
        int steps = Math.max(1, (int) (2 * Math.PI * r / 6));
        for (int k = 0; k < steps; k++) {
          double cx = Math.min(side - box[2] - 2, Math.max(box[2] + 2, x + r * Math.cos(2 * Math.PI * k / steps)));
          double cy = Math.min(side - box[3] - 2, Math.max(box[3] + 2, y + r * Math.sin(2 * Math.PI * k / steps)));
          if (placed.stream().noneMatch(p -> Math.abs(p[0] - cx) < p[2] + box[2] + 4 && Math.abs(p[1] - cy) < p[3] + box[3] + 4)) {
            box[0] = cx;
            box[1] = cy;
            break search;
          }
        }
      }
      placed.add(box);
    }
  }

  /** Where the line from ({@code x}, {@code y}) to the centre of {@code box} meets the box's edge. */
  private static double[] boundary(double x, double y, double[] box) {
    double dx = x - box[0];
    double dy = y - box[1];
    if (dx == 0 && dy == 0) {
      return new double[] {box[0], box[1]};
    }
    double t = Math.min(dx == 0 ? Double.MAX_VALUE : box[2] / Math.abs(dx), dy == 0 ? Double.MAX_VALUE : box[3] / Math.abs(dy));
    return new double[] {box[0] + dx * Math.min(t, 1), box[1] + dy * Math.min(t, 1)};
  }

  private static String xml(String text) {
    return Html.escape(text);
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
