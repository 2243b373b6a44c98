package dev.keygate.logging.log4j;

import dev.keygate.KeyScanner;
import java.nio.CharBuffer;
import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.core.pattern.PatternParser;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * A Log4j 2 pattern converter, {@code %mask{pattern}}, that writes the inner pattern with every
 * Keygate key masked to its hint. Around the message and the stack trace, or around the whole
 * line, it masks what a rewrite policy cannot reach: exception messages, causes, MDC values.
 *
 * <pre>{@code
 * <PatternLayout pattern="%d %-5level [%t] %logger - %mask{%m}%n%mask{%ex}"/>
 * <PatternLayout pattern="%mask{%d %-5level [%t] %logger - %m %X%n%ex}"/>
 * }</pre>
 *
 * <p>A throwable converter inside {@code %mask{...}} counts as the layout's: Log4j appends no
 * unmasked stack trace of its own. Masking works in place on the layout's buffer: a line without
 * a key costs one scan of what the inner pattern wrote and no allocation.
 */
@Plugin(name = "KeygateMask", category = PatternConverter.CATEGORY)
@ConverterKeys({"mask"})
public final class KeyMaskingPatternConverter extends LogEventPatternConverter {
  private static final KeyScanner SCANNER = KeyScanner.anyPrefix();

  private final List<PatternFormatter> formatters;

  private KeyMaskingPatternConverter(List<PatternFormatter> formatters) {
    super("mask", "mask");
    this.formatters = List.copyOf(formatters);
  }

  /**
   * The converter for {@code %mask{pattern}}; Log4j calls this when it parses a pattern.
   *
   * @param config the configuration the layout belongs to
   * @param options the options in braces: exactly one, the inner pattern
   * @return the converter, or {@code null} (with an error on Log4j's status logger) when there is
   *     not exactly one option
   */
  public static KeyMaskingPatternConverter newInstance(Configuration config, String[] options) {
    if (options == null || options.length != 1) {
      StatusLogger.getLogger().error("%mask needs exactly one option, the pattern to mask, as in %mask{%m}; got {}",
          options == null ? 0 : options.length);
      return null;
    }
    PatternParser parser = PatternLayout.createPatternParser(config);
    return new KeyMaskingPatternConverter(parser.parse(options[0]));
  }

  /**
   * Writes the inner pattern for {@code event}, then masks the keys in what it wrote.
   *
   * @param event the event
   * @param toAppendTo the layout's buffer
   */
  @Override
  public void format(LogEvent event, StringBuilder toAppendTo) {
    int start = toAppendTo.length();
    for (PatternFormatter formatter : formatters) {
      formatter.format(event, toAppendTo);
    }
    // a view of what was written, not a copy; replaced from the end so earlier indexes stay valid
    List<KeyScanner.Match> found = SCANNER.findAll(CharBuffer.wrap(toAppendTo, start, toAppendTo.length()));
    for (int i = found.size() - 1; i >= 0; i--) {
      KeyScanner.Match m = found.get(i);
      toAppendTo.replace(start + m.start(), start + m.end(), m.hint());
    }
  }

  /**
   * Whether the inner pattern writes the stack trace, so that the layout adds none of its own.
   *
   * @return whether a converter inside handles the throwable
   */
  @Override
  public boolean handlesThrowable() {
    for (PatternFormatter formatter : formatters) {
      if (formatter.handlesThrowable()) {
        return true;
      }
    }
    return false;
  }
}
