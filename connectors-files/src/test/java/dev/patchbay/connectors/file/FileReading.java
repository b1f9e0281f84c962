package dev.patchbay.connectors.file;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Source;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole file source, turning each record and each unreadable line into one line of text. */
final class FileReading {

  private FileReading() {
  }

  static List<String> readAll(Source<Fields> source, Checkpoint from) {
    List<String> out = new ArrayList<>();
    try (Cursor<Fields> c = source.read(from)) {
      while (c.hasNext()) {
        out.add(describe(c));
      }
    }
    return out;
  }

  /** Reads again from every checkpoint, one item at a time: the concatenation must equal one pass. */
  static List<String> readResumingAfterEachItem(Source<Fields> source) {
    List<String> out = new ArrayList<>();
    Checkpoint at = Checkpoint.start();
    while (true) {
      try (Cursor<Fields> c = source.read(at)) {
        if (!c.hasNext()) {
          return out;
        }
        out.add(describe(c));
        at = c.checkpoint();
      }
    }
  }

  private static String describe(Cursor<Fields> c) {
    try {
      Envelope<Fields> r = c.next();
      return r.key() + " " + r.payload().asMap();
    } catch (DataException e) {
      return "UNREADABLE " + e.getMessage();
    }
  }
}
