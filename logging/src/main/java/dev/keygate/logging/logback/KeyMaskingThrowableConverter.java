package dev.keygate.logging.logback;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.keygate.KeyScanner;

/**
 * The stack trace ({@code %ex}) with every Keygate key masked to its hint: in the messages of the
 * throwable, its causes and suppressed throwables. Register it over the words the patterns use:
 *
 * <pre>{@code
 * <conversionRule conversionWord="ex" class="dev.keygate.logging.logback.KeyMaskingThrowableConverter"/>
 * <conversionRule conversionWord="exception" class="dev.keygate.logging.logback.KeyMaskingThrowableConverter"/>
 * <conversionRule conversionWord="throwable" class="dev.keygate.logging.logback.KeyMaskingThrowableConverter"/>
 * }</pre>
 *
 * <p>A pattern without any throwable word gets Logback's own, unmasked converter appended: end such
 * a pattern with {@code %ex} (see the module's README).
 */
public class KeyMaskingThrowableConverter extends ThrowableProxyConverter {
  private static final KeyScanner SCANNER = KeyScanner.anyPrefix();

  /** Creates the converter; Logback does, for each pattern that uses its word. */
  public KeyMaskingThrowableConverter() {}

  /**
   * The stack trace as Logback's {@code %ex} writes it, keys masked.
   *
   * @param event the event
   * @return the stack trace with every key replaced by its hint; empty without a throwable
   */
  @Override
  public String convert(ILoggingEvent event) {
    return SCANNER.mask(super.convert(event));
  }
}
