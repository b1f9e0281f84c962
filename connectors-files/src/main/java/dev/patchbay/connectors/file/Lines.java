package dev.patchbay.connectors.file;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import dev.patchbay.core.SetupException;

/**
 * The physical lines of a UTF-8 file, numbered from 1, each checked: a line with a NUL byte, bytes
 * that are not UTF-8, or more than {@code maxLineBytes} bytes comes back with a problem and no text.
 * A carriage return before the newline is kept (a CSV value may hold a CRLF; the parsers take it
 * as part of the line end elsewhere); a UTF-8 byte order mark before the first line is dropped.
 * A file that does not exist or cannot be opened is a {@link SetupException} naming it.
 */
final class Lines implements AutoCloseable {

  /** One line: its number, and its text or the problem that kept it from being read. */
  record Line(long number, String text, String problem) {
  }

  private final InputStream in;
  private final int maxLineBytes;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private final LineIndex index;
  private long number;
  private long position;

  /**
   * The lines of {@code file} after the first {@code skip}. Starts from the
   * nearest point {@code index} knows, and teaches it the points passed.
   */
  Lines(Path file, long skip, int maxLineBytes, LineIndex index) {
    this.maxLineBytes = maxLineBytes;
    this.index = index;
    InputStream stream;
    try {
      FileChannel channel = FileChannel.open(file);
      long[] from = index.nearest(skip, channel.size());
      channel.position(from[1]);
      number = from[0];
      position = from[1];
      stream = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new SetupException(file.getFileName() + ": cannot be read: no such file " + file, e);
    } catch (IOException e) {
      throw new SetupException(file.getFileName() + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    this.in = stream;
    try {
      while (number < skip && skipLine()) {
        // skipped
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Passes over one line without decoding it; false at the end of the file. */
  private boolean skipLine() throws IOException {
    index.learn(number, position);
    int b = in.read();
    if (b < 0) {
      return false;
    }
    position++;
    while (b >= 0 && b != '\n') {
      b = in.read();
      if (b >= 0) {
        position++;
      }
    }
    number++;
    return true;
  }

  /** The next line, or null at the end of the file. */
  Line next() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    boolean nul = false;
    boolean tooLong = false;
    int b;
    index.learn(number, position);
    try {
      b = in.read();
      if (b < 0) {
        return null;
      }
      position++;
      while (b >= 0 && b != '\n') {
        if (b == 0) {
          nul = true;
        }
        if (bytes.size() < maxLineBytes) {
          bytes.write(b);
        } else {
          tooLong = true;
        }
        b = in.read();
        if (b >= 0) {
          position++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read line " + (number + 1), e);
    }
    number++;
    if (tooLong) {
      return new Line(number, null, "is longer than " + maxLineBytes + " bytes");
    }
    if (nul) {
      return new Line(number, null, "contains a NUL byte");
    }
    byte[] raw = bytes.toByteArray();
    int length = raw.length;   // a carriage return before the newline stays: it may be inside a quoted CSV value
    int from = number == 1 && length >= 3 && raw[0] == (byte) 0xEF && raw[1] == (byte) 0xBB && raw[2] == (byte) 0xBF ? 3 : 0;
    try {
      return new Line(number, utf8.decode(ByteBuffer.wrap(raw, from, length - from)).toString(), null);
    } catch (CharacterCodingException e) {
      return new Line(number, null, "is not valid UTF-8");
    }
  }

  /** The first line of a library's error message: its later lines show the input, which stays out of reports. */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
