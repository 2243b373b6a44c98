package dev.keygate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a Keygate API key: {@code <prefix>_<id><secret><checksum>}.
 *
 * <p>The body after {@code <prefix>_} is 50 base62 characters: a {@value #ID_LENGTH}-character
 * public key id, a {@value #SECRET_LENGTH}-character random secret (about 190 bits from {@link
 * SecureRandom}) and a {@value #CHECKSUM_LENGTH}-character checksum, the CRC32 of everything before
 * it (prefix and underscore included) in base62. A key that fails the format or the checksum is
 * rejected by {@link #parse} without touching a store and without throwing.
 *
 * <p>A format may bind several prefixes to environments ({@link #withEnvironments(Map)}: {@code
 * kg_test} for {@code test}, {@code kg_live} for {@code live}): it accepts a key of any of them,
 * the parsed key says its prefix's {@linkplain ParsedKey#environment() environment}, and keys are
 * issued through {@link #forEnvironment(String)}, the single-prefix format of one environment. Keys
 * have a fixed body length and distinct prefixes, so a text is a key of at most one prefix.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class KeyFormat {
  /** Length of the public key id. */
  public static final int ID_LENGTH = 12;
  /** Length of the random secret. */
  public static final int SECRET_LENGTH = 32;
  /** Length of the base62 CRC32 checksum. */
  public static final int CHECKSUM_LENGTH = 6;
  /** Length of the part after {@code <prefix>_}. */
  public static final int BODY_LENGTH = ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;
  /** Longest accepted prefix. */
  public static final int MAX_PREFIX_LENGTH = 32;

  private static final Pattern PREFIX = Pattern.compile("[a-z0-9](?:_?[a-z0-9])*");
  private static final Pattern KEY_ID = Pattern.compile("[0-9A-Za-z]{" + ID_LENGTH + "}");
  private static final int HINT_ID_CHARS = 6;

  /** Longest environment name a format binds (the longest a key's environment may be). */
  private static final int MAX_ENVIRONMENT_LENGTH = 64;

  private final String prefix;
  private final int keyLength;
  private final SecureRandom random;
  /** The environment this single-prefix format issues and accepts keys of, or null. */
  private final @Nullable String environment;
  /** For a format of several environments: one bound single-prefix format each, in order; else empty. */
  private final List<KeyFormat> members;

  private KeyFormat(String prefix, SecureRandom random) {
    this(prefix, random, null, List.of());
  }

  private KeyFormat(String prefix, SecureRandom random, @Nullable String environment, List<KeyFormat> members) {
    this.prefix = prefix;
    this.keyLength = prefix.length() + 1 + BODY_LENGTH;
    this.random = random;
    this.environment = environment;
    this.members = members;
  }

  /**
   * A format for keys that start with {@code prefix + "_"}.
   *
   * @param prefix lowercase letters and digits, optionally in parts joined by single {@code _}
   *     (no leading, trailing or doubled {@code _}), 1 to 32 characters (e.g. {@code
   *     kg_live}, {@code avl}, {@code ak_avalon}, {@code avala_sk})
   * @return the format
   * @throws IllegalArgumentException if the prefix breaks those rules
   */
  public static KeyFormat withPrefix(String prefix) {
    return new KeyFormat(checkPrefix(prefix), new SecureRandom());
  }

  /**
   * Like {@link #withPrefix(String)}, with an explicit source of randomness (tests, or a
   * deployment that wants a specific {@link SecureRandom} algorithm).
   *
   * @param prefix the key prefix, as for {@link #withPrefix(String)}
   * @param random where ids and secrets come from
   * @return the format
   * @throws IllegalArgumentException if the prefix is invalid
   */
  public static KeyFormat withPrefix(String prefix, SecureRandom random) {
    return new KeyFormat(checkPrefix(prefix), Objects.requireNonNull(random, "random"));
  }

  /**
   * A format whose keys say their environment by their prefix, such as {@code test → kg_test} and
   * {@code live → kg_live}. It accepts a key of any of the prefixes ({@link ParsedKey#environment()}
   * tells which), issues keys through {@link #forEnvironment(String)}, and with it {@link
   * ApiKeyService#create} requires a key's environment to be one of these and the {@link
   * AuthenticationEngine} refuses a key whose stored environment is not its prefix's.
   *
   * @param prefixByEnvironment the prefix of each environment, in the order {@link
   *     #environments()} lists them (the map's iteration order: use a {@link LinkedHashMap});
   *     environments of 1 to 64 printable characters without surrounding white space, prefixes
   *     as for {@link #withPrefix(String)} and distinct
   * @return the format
   * @throws IllegalArgumentException if the map is empty, an environment or a prefix breaks those
   *     rules, or two environments share a prefix
   * @throws NullPointerException if the map, an environment or a prefix is null
   */
  public static KeyFormat withEnvironments(Map<String, String> prefixByEnvironment) {
    return withEnvironments(prefixByEnvironment, new SecureRandom());
  }

  /**
   * Like {@link #withEnvironments(Map)}, with an explicit source of randomness.
   *
   * @param prefixByEnvironment the prefix of each environment, in order
   * @param random where ids and secrets come from
   * @return the format
   * @throws IllegalArgumentException if the map is empty, an environment or a prefix is invalid,
   *     or two environments share a prefix
   * @throws NullPointerException if an argument, an environment or a prefix is null
   */
  public static KeyFormat withEnvironments(Map<String, String> prefixByEnvironment, SecureRandom random) {
    Objects.requireNonNull(prefixByEnvironment, "prefixByEnvironment");
    Objects.requireNonNull(random, "random");
    if (prefixByEnvironment.isEmpty()) {
      throw new IllegalArgumentException("prefixByEnvironment: give at least one environment and its prefix");
    }
    Map<String, String> environmentByPrefix = new LinkedHashMap<>();
    List<KeyFormat> members = new ArrayList<>(prefixByEnvironment.size());
    for (Map.Entry<String, String> e : prefixByEnvironment.entrySet()) {
      String environment = checkEnvironment(e.getKey());
      String prefix = checkPrefix(e.getValue());
      String other = environmentByPrefix.putIfAbsent(prefix, environment);
      if (other != null) {
        throw new IllegalArgumentException("prefix '" + prefix + "' is given for both environment '" + other
            + "' and environment '" + environment + "'; each environment needs a prefix of its own");
      }
      members.add(new KeyFormat(prefix, random, environment, List.of()));
    }
    return new KeyFormat(members.get(0).prefix, random, null, Collections.unmodifiableList(members));
  }

  private static String checkEnvironment(String environment) {
    Objects.requireNonNull(environment, "environment");
    if (environment.isEmpty() || environment.length() > MAX_ENVIRONMENT_LENGTH
        || !environment.equals(environment.strip()) || !ApiKeyService.isPrintable(environment)) {
      throw new IllegalArgumentException("environment must be 1 to 64 printable characters without leading or "
          + "trailing white space, got '" + environment + "'");
    }
    return environment;
  }

  /** {@code prefix} if it is a valid prefix; {@link IllegalArgumentException} saying why not otherwise. */
  static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix must be 1 to 32 lowercase letters or digits, in parts joined by single '_', got '"
              + prefix + "'");
    }
    return prefix;
  }

  /**
   * The configured prefix, without the trailing underscore.
   *
   * @return the configured prefix, without the trailing underscore
   * @throws IllegalStateException for a format of several environments (see {@link #prefixes()})
   */
  public String prefix() {
    requireSinglePrefix("prefix()");
    return prefix;
  }

  /**
   * Every prefix this format accepts, without the trailing underscore, in the order of {@link
   * #environments()}; one for a format made by {@link #withPrefix(String)}.
   *
   * @return the prefixes this format accepts
   */
  public List<String> prefixes() {
    if (members.isEmpty()) {
      return List.of(prefix);
    }
    List<String> out = new ArrayList<>(members.size());
    for (KeyFormat m : members) {
      out.add(m.prefix);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The environments this format binds to prefixes, in order: empty for a format made by {@link
   * #withPrefix(String)} (its keys' environment is free text), one for {@link
   * #forEnvironment(String)}'s.
   *
   * @return the environments, in order; empty when the format binds none
   */
  public List<String> environments() {
    if (environment != null) {
      return List.of(environment);
    }
    List<String> out = new ArrayList<>(members.size());
    for (KeyFormat m : members) {
      out.add(m.environment);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The environment whose keys carry {@code prefix}.
   *
   * @param prefix a prefix, without the trailing underscore
   * @return its environment, or null when this format binds no environment to it (always for a
   *     format made by {@link #withPrefix(String)})
   */
  public @Nullable String environmentOf(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    for (KeyFormat m : members) {
      if (m.prefix.equals(prefix)) {
        return m.environment;
      }
    }
    return prefix.equals(this.prefix) ? environment : null;
  }

  /**
   * The single-prefix format that issues keys of {@code environment}: what {@link ApiKeyService}
   * generates a key of that environment with.
   *
   * @param environment one of {@link #environments()}
   * @return the format of that environment's prefix, bound to it
   * @throws IllegalArgumentException if {@code environment} is not one of {@link #environments()}
   */
  public KeyFormat forEnvironment(String environment) {
    Objects.requireNonNull(environment, "environment");
    for (KeyFormat m : members) {
      if (m.environment.equals(environment)) {
        return m;
      }
    }
    if (environment.equals(this.environment)) {
      return this;
    }
    throw new IllegalArgumentException("environment '" + environment + "' is not one of this key format's "
        + environments());
  }

  /**
   * The exact length of every key of this format.
   *
   * @return the exact length of every key of this format
   * @throws IllegalStateException for a format of several environments (their keys differ in
   *     length with their prefixes)
   */
  public int keyLength() {
    requireSinglePrefix("keyLength()");
    return keyLength;
  }

  /**
   * Generates a new key with a fresh random id and secret.
   *
   * @return a new key with a random id and secret
   * @throws IllegalStateException for a format of several environments: generate with {@link
   *     #forEnvironment(String)}'s format
   */
  public ParsedKey generate() {
    requireSinglePrefix("generate()");
    return generate(Base62.random(random, ID_LENGTH));
  }

  /**
   * Generates a new secret for an existing key id (rotation keeps the id).
   *
   * @param keyId the id to keep (12 base62 characters)
   * @return a key with that id and a new random secret
   * @throws IllegalArgumentException if {@code keyId} is not a valid key id
   * @throws IllegalStateException for a format of several environments: generate with {@link
   *     #forEnvironment(String)}'s format
   */
  public ParsedKey generate(String keyId) {
    requireSinglePrefix("generate(keyId)");
    if (!isValidKeyId(keyId)) {
      throw new IllegalArgumentException("key id must be 12 base62 characters");
    }
    String body = prefix + "_" + keyId + Base62.random(random, SECRET_LENGTH);
    byte[] key = Arrays.copyOf(body.getBytes(StandardCharsets.ISO_8859_1), keyLength);
    int checksumAt = keyLength - CHECKSUM_LENGTH;
    Base62.encodeFixed(crc(key, checksumAt), key, checksumAt, CHECKSUM_LENGTH);
    String plaintext = new String(key, StandardCharsets.ISO_8859_1);
    Arrays.fill(key, (byte) 0);
    return new ParsedKey(plaintext, prefix.length() + 1, null, environment);
  }

  /**
   * Parses a presented key. Cheap and allocation-light: it checks the length first (so absurdly
   * long input costs nothing), then the prefix, the alphabet and the checksum.
   *
   * @param presented the header value, possibly null or garbage
   * @return the parsed key, or {@code null} when it is not a well-formed key of this format (of
   *     any of its prefixes)
   */
  public @Nullable ParsedKey parse(@Nullable CharSequence presented) {
    if (!members.isEmpty()) {
      for (KeyFormat m : members) { // each checks the length first: one of a given length gets further
        ParsedKey key = m.parse(presented);
        if (key != null) {
          return key;
        }
      }
      return null;
    }
    if (presented == null || presented.length() != keyLength) {
      return null;
    }
    int plen = prefix.length();
    for (int i = 0; i < plen; i++) {
      if (presented.charAt(i) != prefix.charAt(i)) {
        return null;
      }
    }
    if (presented.charAt(plen) != '_') {
      return null;
    }
    for (int i = plen + 1; i < keyLength; i++) {
      if (!Base62.isBase62(presented.charAt(i))) {
        return null;
      }
    }
    String text = presented.toString();
    byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1); // all base62: one byte per char
    int checksumAt = keyLength - CHECKSUM_LENGTH;
    byte[] expected = new byte[CHECKSUM_LENGTH];
    Base62.encodeFixed(crc(ascii, checksumAt), expected, 0, CHECKSUM_LENGTH);
    if (!Arrays.equals(ascii, checksumAt, keyLength, expected, 0, CHECKSUM_LENGTH)) {
      Arrays.fill(ascii, (byte) 0);
      return null;
    }
    return new ParsedKey(text, plen + 1, ascii, environment);
  }

  /**
   * The display hint stored for a key id: prefix and the first characters of the id.
   *
   * @param keyId the public key id
   * @return the prefix and the first characters of the id, safe to show in lists
   * @throws IllegalStateException for a format of several environments: ask {@link
   *     #forEnvironment(String)}'s format
   */
  public String hint(String keyId) {
    requireSinglePrefix("hint(keyId)");
    return hint(prefix, keyId);
  }

  /** The hint of a key of {@code prefix} and {@code keyId}: what {@link #hint(String)} shows. */
  static String hint(String prefix, String keyId) {
    return prefix + "_" + keyId.substring(0, Math.min(HINT_ID_CHARS, keyId.length())) + "…";
  }

  /**
   * Whether {@code keyId} has the shape of a key id (12 base62 characters).
   *
   * @param keyId the text to check, possibly null
   * @return whether it is 12 base62 characters
   */
  public static boolean isValidKeyId(@Nullable String keyId) {
    return keyId != null && KEY_ID.matcher(keyId).matches();
  }

  /** The CRC32 of the first {@code length} bytes: the checksum of generated and parsed keys alike. */
  private static long crc(byte[] ascii, int length) {
    CRC32 crc = new CRC32();
    crc.update(ascii, 0, length);
    return crc.getValue();
  }

  private void requireSinglePrefix(String method) {
    if (!members.isEmpty()) {
      throw new IllegalStateException(method + " needs a single prefix; this format has one per environment "
          + environments() + ": use forEnvironment(environment)");
    }
  }

  @Override
  public String toString() {
    if (members.isEmpty()) {
      return environment == null ? "KeyFormat[" + prefix + "_…]" : "KeyFormat[" + environment + "=" + prefix + "_…]";
    }
    StringBuilder sb = new StringBuilder("KeyFormat[");
    for (KeyFormat m : members) {
      sb.append(sb.length() > 10 ? ", " : "").append(m.environment).append('=').append(m.prefix).append("_…");
    }
    return sb.append(']').toString();
  }
}
