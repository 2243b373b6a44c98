package dev.keygate.logging.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;
import dev.keygate.KeyScanner;

/**
 * Masks every Keygate key in whatever the pattern inside it writes: {@code %mask(...)} around a
 * part of a pattern, or around all of it. It reaches what the word converters do not: MDC values
 * ({@code %X}), key-value pairs ({@code %kvp}), the thread name, a root-cause-first stack trace.
 *
 * <pre>{@code
 * <conversionRule conversionWord="mask" class="dev.keygate.logging.logback.KeyMaskingCompositeConverter"/>
 * <pattern>%mask(%d %-5level [%thread] %logger - %msg %X%n%ex)</pattern>
 * }</pre>
 *
 * <p>A throwable word inside {@code %mask(...)} counts as the pattern's: Logback appends no
 * unmasked stack trace of its own.
 */
public class KeyMaskingCompositeConverter extends CompositeConverter<ILoggingEvent> {
  private static final KeyScanner SCANNER = KeyScanner.anyPrefix();

  /** Creates the converter; Logback does, for each pattern that uses its word. */
  public KeyMaskingCompositeConverter() {}

  /**
   * What the inner pattern wrote, keys masked.
   *
   * @param event the event
   * @param in what the inner pattern wrote
   * @return {@code in} with every key replaced by its hint
   */
  @Override
  protected String transform(ILoggingEvent event, String in) {
    return SCANNER.mask(in);
  }
}
