package dev.patchbay.connectors.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.catalog.IntegrationMethod;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A CSV file (UTF-8, a header line naming the columns) as a source and an appended destination,
 * parsed by jackson-dataformat-csv. The header must name every column of the {@link FileSchema}, in
 * any order; other columns are ignored.
 *
 * <p>What cannot be read is reported as {@code file:line} with the reason, and the rest of the file
 * is read: a row with more or fewer values than the header has columns, a quoted value that is never
 * closed (reading goes on at the next line), a line that is not valid UTF-8 or holds a NUL byte, a
 * value that does not fit its type, a value over the length limit, a missing key.
 */
public final class CsvFile implements Connector, Source<Fields>, Destination<Fields>, Lookup<Fields> {

  private static final CsvMapper CSV = new CsvMapper();
  private static final int MAX_LINE_BYTES = 1 << 20;

  private final Path file;
  private final String name;
  private final FileSchema schema;
  private final char separator;
  private final ConnectorDescription description;
  private final AppendLog log;
  private final LineIndex lineIndex = new LineIndex();

  private CsvFile(Path file, FileSchema schema, char separator, ConnectorDescription description) {
    this.file = file;
    this.name = String.valueOf(file.getFileName());
    this.schema = schema;
    this.separator = separator;
    this.description = description;
    this.log = new AppendLog(file, this::readRows, this::row, row(schema.columns()));
  }

  /** The CSV file at {@code file}, comma-separated, as the data element {@code dataElement} of {@code system}. */
  public static CsvFile of(Path file, FileSchema schema, String system, String dataElement, String owner) {
    return of(file, schema, ',', system, dataElement, owner);
  }

  /** As {@link #of(Path, FileSchema, String, String, String)}, with another separator. */
  public static CsvFile of(Path file, FileSchema schema, char separator, String system, String dataElement, String owner) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(schema, "schema");
    ConnectorDescription d = ConnectorDescription.builder(system, dataElement).owner(owner).method(IntegrationMethod.FILE)
        .capabilities(Capability.READ_PAGES, Capability.READ_BY_KEYS, Capability.UPSERT, Capability.IDEMPOTENT_WRITES)
        .build();
    return new CsvFile(file, schema, separator, d);
  }

  @Override
  public ConnectorDescription description() {
    return description;
  }

  @Override
  public void close() {
  }

  /**
   * The rows after {@code after}, in file order; a key met again is reported at its line unless
   * the schema says {@link FileSchema.Builder#laterLineWins()}.
   *
   * @throws SetupException if the file does not exist, cannot be opened, is empty or its header
   *     lacks a column
   */
  @Override
  public Cursor<Fields> read(Checkpoint after) {
    return schema.laterLineWins() ? readRows(after) : FileCursor.keysOnce(name, this::readRows, after);
  }

  private FileCursor readRows(Checkpoint after) {
    Rows rows = new Rows(FileCursor.linesConsumed(name, after));
    return new FileCursor(rows::next, rows, after);
  }

  @Override
  public List<Outcome> write(List<Change<Fields>> batch) {
    return log.write(batch);
  }

  /** The latest line of each key asked, read from near where it starts (the file is indexed once, on first use). */
  @Override
  public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    return log.lookup(keys);
  }

  private String row(Envelope<Fields> record) {
    List<String> values = new ArrayList<>();
    values.add(record.key());
    for (String field : schema.fields().keySet()) {
      Object v = record.payload().get(field);
      values.add(v == null ? "" : v instanceof BigDecimal d ? d.toPlainString() : v.toString());
    }
    return row(values);
  }

  private String row(List<String> values) {
    StringWriter out = new StringWriter();
    CsvSchema plain = CsvSchema.emptySchema().withColumnSeparator(separator).withLineSeparator("\n");
    try (SequenceWriter w = CSV.writer(plain).writeValues(out)) {
      w.write(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "CsvFile[" + description.id() + ", " + file + "]";
  }

  /** The rows after a number of consumed lines, merged in line order with the lines that could not be read. */
  private final class Rows implements AutoCloseable {
    private final Deque<FileCursor.Item> badLines = new ArrayDeque<>();
    private Map<String, Integer> header;
    private int headerWidth;
    private long skipped;
    private Lines lines;
    private CsvParser parser;
    private FileCursor.Item pendingRow;

    Rows(long consumed) {
      readHeader();
      open(Math.max(consumed, 1));
    }

    private void readHeader() {
      try (Lines first = new Lines(file, 0, MAX_LINE_BYTES, lineIndex)) {
        Lines.Line line = first.next();
        if (line == null) {
          throw new SetupException(name + ": the file is empty; a CSV file starts with a header line");
        }
        if (line.problem() != null) {
          throw new SetupException(name + ": the header line " + line.problem());
        }
        List<String> names = new ArrayList<>();
        try (CsvParser p = parser(new java.io.StringReader(line.text()))) {
          for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
              names.add(p.getText().trim());
            }
          }
        } catch (IOException e) {
          throw new SetupException(name + ": the header line cannot be read: " + e.getMessage(), e);
        }
        header = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
          header.put(names.get(i), i);
        }
        headerWidth = names.size();
        List<String> lacking = schema.columns().stream().filter(c -> !header.containsKey(c)).toList();
        if (!lacking.isEmpty()) {
          throw new SetupException(name + ": the header lacks the column" + (lacking.size() == 1 ? " " : "s ")
              + String.join(", ", lacking) + " (it has: " + String.join(", ", names) + ")");
        }
      }
    }

    /** Starts parsing after the first {@code skip} physical lines. */
    private void open(long skip) {
      closeParser();
      skipped = skip;
      lines = new Lines(file, skip, MAX_LINE_BYTES, lineIndex);
      parser = parser(new LineReader(lines));
      try {
        parser.nextToken();   // the array that wraps all rows
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }

    private CsvParser parser(Reader reader) {
      try {
        CsvParser p = (CsvParser) CSV.getFactory().createParser(reader);
        p.setSchema(CsvSchema.emptySchema().withColumnSeparator(separator));
        p.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        p.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        return p;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    FileCursor.Item next() {
      if (pendingRow == null) {
        pendingRow = parseRow();
      }
      FileCursor.Item bad = badLines.peekFirst();
      if (bad != null && (pendingRow == null || bad.lastLine() < pendingRow.lastLine())) {
        return badLines.pollFirst();
      }
      FileCursor.Item row = pendingRow;
      pendingRow = null;
      return row;
    }

    /** The next row as a record or a problem; null at the end of the file. Blank lines are passed over. */
    private FileCursor.Item parseRow() {
      long start = -1;
      try {
        List<String> values = new ArrayList<>();
        long newlines = 0;
        do {
          JsonToken t = parser.nextToken();
          if (t != JsonToken.START_ARRAY) {
            return null;   // the end of the wrapping array, or of the input
          }
          values.clear();
          newlines = 0;
          start = -1;
          for (t = parser.nextToken(); t != null && t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            String v = parser.getText();
            if (start < 0) {
              start = skipped + parser.currentTokenLocation().getLineNr();
            }
            newlines += v.chars().filter(ch -> ch == '\n').count();
            values.add(v);
          }
        } while (values.size() == 1 && values.get(0).isEmpty());
        long end = start + newlines;
        try {
          return new FileCursor.Item(record(values), null, start, end);
        } catch (DataException e) {
          return new FileCursor.Item(null, e.forKey(name + ":" + start), start, end);
        }
      } catch (JsonProcessingException e) {
        long at = start > 0 ? start : skipped + (e.getLocation() == null ? 1 : e.getLocation().getLineNr());
        String reason = e.getOriginalMessage() != null && e.getOriginalMessage().contains("closing quote")
            ? "has a quoted value that is never closed" : "is not valid CSV (" + Lines.firstLine(e.getOriginalMessage()) + ")";
        badLines.removeIf(b -> b.lastLine() > at);
        open(at);
        return new FileCursor.Item(null, DataException.record("line " + reason).forKey(name + ":" + at), at, at);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }

    private Envelope<Fields> record(List<String> values) {
      if (values.size() != headerWidth) {
        throw DataException.record("has " + values.size() + " values where the header has " + headerWidth + " columns");
      }
      String key = values.get(header.get(schema.key()));
      if (key == null || key.isBlank()) {
        throw DataException.missingField(schema.key());
      }
      schema.parse(schema.key(), key);
      Map<String, Object> fields = new LinkedHashMap<>();
      for (String field : schema.fields().keySet()) {
        Object v = schema.parse(field, values.get(header.get(field)));
        if (v != null) {
          fields.put(field, v);
        }
      }
      return Envelope.of(key, Fields.from(fields));
    }

    private void closeParser() {
      try {
        if (parser != null) {
          parser.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (lines != null) {
        lines.close();
      }
    }

    @Override
    public void close() {
      closeParser();
    }

    /** Feeds the parser the checked lines; a line that could not be read becomes an empty one, and a problem. */
    private final class LineReader extends Reader {
      private final Lines source;
      private String current = "";
      private int offset;

      LineReader(Lines source) {
        this.source = source;
      }

      @Override
      public int read(char[] buffer, int off, int len) {
        while (offset >= current.length()) {
          Lines.Line line = source.next();
          if (line == null) {
            return -1;
          }
          if (line.problem() != null) {
            badLines.addLast(new FileCursor.Item(null,
                DataException.record("line " + line.problem()).forKey(name + ":" + line.number()), line.number(), line.number()));
            current = "\n";
          } else {
            current = line.text() + "\n";
          }
          offset = 0;
        }
        int n = Math.min(len, current.length() - offset);
        current.getChars(offset, offset + n, buffer, off);
        offset += n;
        return n;
      }

      @Override
      public void close() {
      }
    }
  }
}
