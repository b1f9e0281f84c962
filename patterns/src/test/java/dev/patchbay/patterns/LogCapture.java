package dev.patchbay.patterns;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The events one logger logs while a test runs, from {@code level} up; {@link #close()} puts the logger back. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level was;
  /** Keeps events with their MDC, captured when they are logged (as asynchronous appenders do). */
  private final ListAppender<ILoggingEvent> events = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      super.append(event);
    }
  };

  private LogCapture(String of, Level level) {
    this.logger = (Logger) LoggerFactory.getLogger(of);
    this.was = logger.getLevel();
    logger.setLevel(level);
    events.start();
    logger.addAppender(events);
  }

  public static LogCapture of(Class<?> logger, Level level) {
    return new LogCapture(logger.getName(), level);
  }

  /** Every logger's events, from {@code level} up. */
  public static LogCapture root(Level level) {
    return new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, level);
  }

  /** The events logged at exactly {@code level}, in order, each with the MDC it was logged with. */
  public List<ILoggingEvent> events(Level level) {
    return events.list.stream().filter(e -> e.getLevel() == level).toList();
  }

  /** The messages logged at exactly {@code level}, formatted, in order. */
  public List<String> lines(Level level) {
    return events.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Forgets what was captured so far. */
  public void clear() {
    events.list.clear();
  }

  @Override
  public void close() {
    logger.detachAppender(events);
    logger.setLevel(was);
  }
}
