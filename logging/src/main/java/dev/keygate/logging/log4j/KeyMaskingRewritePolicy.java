package dev.keygate.logging.log4j;

import dev.keygate.KeyScanner;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * A Log4j 2 rewrite policy that masks every Keygate key, of any prefix, in an event's formatted
 * message to its hint ({@code kg_live_AbC123…}). It sits in a {@code Rewrite} appender in front of
 * the appenders it protects, whatever their layout (pattern, JSON, GELF):
 *
 * <pre>{@code
 * <Rewrite name="Masked">
 *   <AppenderRef ref="File"/>
 *   <KeygateKeyMasking/>
 * </Rewrite>
 * }</pre>
 *
 * <p>An event whose message holds no key is passed on as it is (the same object), and scanning it
 * allocates nothing beyond the formatted message Log4j makes anyway. A masked event carries its
 * message as plain text: its parameters, which held the key, are dropped. The thrown exception is
 * not rewritten; mask stack traces with {@link KeyMaskingPatternConverter} ({@code %mask{%ex}}).
 */
@Plugin(name = "KeygateKeyMasking", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class KeyMaskingRewritePolicy implements RewritePolicy {
  private static final KeyScanner SCANNER = KeyScanner.anyPrefix();
  private static final KeyMaskingRewritePolicy INSTANCE = new KeyMaskingRewritePolicy();

  private KeyMaskingRewritePolicy() {}

  /**
   * The policy; Log4j calls this for each {@code <KeygateKeyMasking/>} element. It has no settings.
   *
   * @return the policy
   */
  @PluginFactory
  public static KeyMaskingRewritePolicy createPolicy() {
    return INSTANCE;
  }

  /**
   * The event with its message's keys masked, or the event itself when it has none.
   *
   * @param source the event
   * @return {@code source} when its message holds no key, else a copy with the masked message
   */
  @Override
  public LogEvent rewrite(LogEvent source) {
    Message message = source.getMessage();
    String formatted = message == null ? null : message.getFormattedMessage();
    if (formatted == null) {
      return source;
    }
    String masked = SCANNER.mask(formatted);
    if (masked == formatted) { // mask returns its argument when nothing was found
      return source;
    }
    return new Log4jLogEvent.Builder(source).setMessage(new SimpleMessage(masked)).build();
  }

  @Override
  public String toString() {
    return "KeygateKeyMasking";
  }
}
