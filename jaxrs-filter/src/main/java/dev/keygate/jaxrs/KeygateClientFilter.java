package dev.keygate.jaxrs;

import dev.keygate.KeyFormat;
import dev.keygate.ParsedKey;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Adds a Keygate API key to every outgoing request of a JAX-RS client, synchronous or
 * asynchronous: {@code client.register(KeygateClientFilter.fromEnvironment())}.
 *
 * <p>The key is taken, first found wins, from the value given to {@link Builder#apiKey}, the
 * environment variable {@value #DEFAULT_ENVIRONMENT_VARIABLE} (name configurable), or that name's
 * line in the {@code .env} file of the working directory. Construction fails, before any request,
 * when there is no key (the message says where it looked) or when the key does not have the shape
 * of a Keygate key. A request that already carries the header keeps its own value. The key never
 * appears in {@link #toString()} or in exception messages. Thread-safe.
 */
@Priority(Priorities.AUTHENTICATION)
public final class KeygateClientFilter implements ClientRequestFilter {
  /** The environment variable read by default. */
  public static final String DEFAULT_ENVIRONMENT_VARIABLE = "KEYGATE_API_KEY";
  /** The request header set by default. */
  public static final String DEFAULT_HEADER = "X-API-Key";

  private final String header;
  private final String apiKey;
  private final String masked;
  private final String source;

  private KeygateClientFilter(String header, String apiKey, String masked, String source) {
    this.header = header;
    this.apiKey = apiKey;
    this.masked = masked;
    this.source = source;
  }

  /**
   * A filter sending the key from {@value #DEFAULT_ENVIRONMENT_VARIABLE} or {@code ./.env} in
   * {@value #DEFAULT_HEADER}.
   *
   * @return the filter
   * @throws IllegalStateException if neither has a key
   * @throws IllegalArgumentException if the key found is malformed
   */
  public static KeygateClientFilter fromEnvironment() {
    return builder().build();
  }

  /**
   * A filter sending {@code apiKey} in {@value #DEFAULT_HEADER}.
   *
   * @param apiKey the key to send
   * @return the filter
   * @throws IllegalArgumentException if the key is blank or malformed
   */
  public static KeygateClientFilter withApiKey(String apiKey) {
    return builder().apiKey(apiKey).build();
  }

  /**
   * A builder with the defaults above.
   *
   * @return a builder at the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void filter(ClientRequestContext request) {
    if (!request.getHeaders().containsKey(header)) {
      request.getHeaders().putSingle(header, apiKey);
    }
  }

  /**
   * Where the key came from, e.g. {@code environment variable KEYGATE_API_KEY}; never the key.
   *
   * @return a description of the key's source
   */
  public String source() {
    return source;
  }

  /**
   * The header the key is sent in.
   *
   * @return the header the key is sent in
   */
  public String header() {
    return header;
  }

  @Override
  public String toString() {
    return "KeygateClientFilter[" + header + ": " + masked + " from " + source + "]";
  }

  /** Where to look for the key and how to send it; {@link #build()} may be called again. */
  public static final class Builder {
    private @Nullable String apiKey;
    private @Nullable String variable;
    private @Nullable Map<String, String> environment;
    private @Nullable Path workingDirectory;
    private @Nullable String header;
    private @Nullable KeyFormat format;

    private Builder() {}

    private static void unset(String setting, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
    }

    /**
     * The key itself; when given, the environment and {@code .env} are not read.
     *
     * @param apiKey the key to send
     * @return this builder
     * @throws IllegalArgumentException if blank
     * @throws IllegalStateException if a key was already given
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException("apiKey must not be blank");
      }
      if (this.apiKey != null) {
        throw new IllegalStateException("apiKey was already set"); // never shown: it is a secret
      }
      this.apiKey = apiKey.strip();
      return this;
    }

    /**
     * The environment variable, and {@code .env} entry, holding the key; default {@value
     * #DEFAULT_ENVIRONMENT_VARIABLE}.
     *
     * @param name the variable's name
     * @return this builder
     * @throws IllegalArgumentException if not a valid variable name
     * @throws IllegalStateException if already set
     */
    public Builder environmentVariable(String name) {
      Objects.requireNonNull(name, "name");
      unset("environmentVariable", variable);
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("not a valid environment variable name: '" + name + "'");
      }
      this.variable = name;
      return this;
    }

    /**
     * The environment to read; default {@link System#getenv()}. For tests.
     *
     * @param environment variable names to values
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder environment(Map<String, String> environment) {
      // named by its size only: an environment holds secrets
      unset("environment", this.environment == null ? null : this.environment.size() + " variables");
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * The directory whose {@code .env} file is read; default the process's working directory.
     *
     * @param directory where {@code .env} is looked for
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder workingDirectory(Path directory) {
      unset("workingDirectory", workingDirectory);
      this.workingDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * The request header to send the key in; default {@value #DEFAULT_HEADER}.
     *
     * @param name the header name
     * @return this builder
     * @throws IllegalArgumentException if not an HTTP header name
     * @throws IllegalStateException if already set
     */
    public Builder header(String name) {
      Objects.requireNonNull(name, "name");
      unset("header", header);
      if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
        throw new IllegalArgumentException("not a valid header name: '" + name + "'");
      }
      this.header = name;
      return this;
    }

    /**
     * The exact key format (prefix) to expect; by default any Keygate key: a valid prefix, an
     * underscore and 50 base62 characters with a valid checksum.
     *
     * @param format the format the key must have
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder format(KeyFormat format) {
      unset("format", this.format);
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Finds the key and builds the filter.
     *
     * @return the filter
     * @throws IllegalStateException if no key was found (the message lists where it looked)
     * @throws IllegalArgumentException if the key found is malformed (the message omits the key)
     */
    public KeygateClientFilter build() {
      String variable = this.variable != null ? this.variable : DEFAULT_ENVIRONMENT_VARIABLE;
      String header = this.header != null ? this.header : DEFAULT_HEADER;
      String key;
      String source;
      if (apiKey != null) {
        key = apiKey;
        source = "the explicitly given key";
      } else {
        Map<String, String> env = environment != null ? environment : System.getenv();
        Path dotEnv = (workingDirectory != null ? workingDirectory : Path.of(""))
            .toAbsolutePath().resolve(".env");
        String fromEnv = env.get(variable);
        if (fromEnv != null && !fromEnv.isBlank()) {
          key = fromEnv.strip();
          source = "environment variable " + variable;
        } else {
          String fromFile = readDotEnv(dotEnv, variable, fromEnv);
          key = fromFile.strip();
          source = variable + " in " + dotEnv;
        }
      }
      ParsedKey parsed = parse(key);
      if (parsed == null) {
        throw new IllegalArgumentException("the API key from " + source
            + " is malformed: a Keygate key is <prefix>_ followed by "
            + KeyFormat.BODY_LENGTH + " base62 characters with a valid checksum"
            + (format != null ? " (expected prefix " + String.join("_ or ", format.prefixes()) + "_)" : ""));
      }
      return new KeygateClientFilter(header, key, parsed.masked(), source);
    }

    private static String readDotEnv(Path dotEnv, String variable, @Nullable String fromEnv) {
      String problem;
      try {
        String value = DotEnvFile.value(dotEnv, variable);
        if (value != null && !value.isBlank()) {
          return value;
        }
        problem = value != null ? variable + " is empty"
            : Files.isRegularFile(dotEnv) ? "no " + variable + " line"
            : "no such file";
      } catch (IOException | RuntimeException e) {
        problem = "could not be read (" + e.getClass().getSimpleName() + ")";
      }
      throw new IllegalStateException("no Keygate API key found; looked at: "
          + "(1) an explicit key: none given; "
          + "(2) environment variable " + variable + ": " + (fromEnv == null ? "not set" : "empty")
          + "; (3) .env file " + dotEnv + ": " + problem + ". Set " + variable
          + ", add it to .env, or pass the key to KeygateClientFilter.builder().apiKey(...)");
    }

    private @Nullable ParsedKey parse(String key) {
      if (format != null) {
        return format.parse(key);
      }
      // any prefix: the body has no '_', so the prefix is what precedes the last one
      int underscore = key.lastIndexOf('_');
      if (underscore < 1 || underscore > KeyFormat.MAX_PREFIX_LENGTH) {
        return null;
      }
      try {
        return KeyFormat.withPrefix(key.substring(0, underscore)).parse(key);
      } catch (IllegalArgumentException invalidPrefix) {
        return null;
      }
    }
  }
}
