package dev.keygate.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.LeakOutcome;
import dev.keygate.LeakPolicy;
import java.io.IOException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The leak-report route of the management API, {@code POST <base>/secret-scanning/github}: GitHub's
 * secret scanning partner program sends it the tokens of your format it finds in public (a JSON
 * list of {@code {token, type, url, source}}, signed with ECDSA P-256 / SHA-256 by one of GitHub's
 * published keys), and it revokes (default) or marks each real key, answering in the program's
 * feedback format. Give it to {@link KeyManagement.Builder#leakReports}; without it the route does
 * not exist. Each setting may be given once ({@link IllegalStateException} otherwise).
 *
 * <pre>{@code
 * KeyManagement.builder(keygate)
 *     .leakReports(LeakReports.github(Map.of(keyIdentifier, pem)).policy(LeakPolicy.REVOKE))
 *     .build();
 * }</pre>
 *
 * <p>Trust comes from the signature alone: the route needs no API key, and the signature is checked
 * over the raw body before anything in it is read. A report then costs at most {@link
 * #maxTokens} store lookups and {@link #maxHashes} hasher runs.
 */
public final class LeakReports {
  /** The route, below the management API's base path. */
  public static final String PATH = "/secret-scanning/github";
  /** The largest report read: a thousand matches with long URLs. */
  static final int MAX_BYTES = 1024 * 1024;

  private final Supplier<Map<String, String>> publicKeys;
  private @Nullable LeakPolicy policy;
  private @Nullable Consumer<LeakOutcome> onLeak;
  private int maxTokens = -1;
  private int maxHashes = -1;

  private LeakReports(Supplier<Map<String, String>> publicKeys) {
    this.publicKeys = publicKeys;
  }

  /**
   * Reports signed by one of {@code publicKeys}.
   *
   * @param publicKeys GitHub's key identifier ({@code Github-Public-Key-Identifier}) to the public
   *     key in PEM ({@code -----BEGIN PUBLIC KEY-----}), as in GitHub's public-keys document (see
   *     {@link #publicKeysOf})
   * @return the settings, policy {@link LeakPolicy#REVOKE}
   * @throws IllegalArgumentException if there is no key, or one is not an EC public key in PEM
   */
  public static LeakReports github(Map<String, String> publicKeys) {
    if (publicKeys.isEmpty()) {
      throw new IllegalArgumentException("publicKeys: give at least one");
    }
    publicKeys.forEach((id, pem) -> {
      if (id.isEmpty()) {
        throw new IllegalArgumentException("publicKeys: an identifier is empty");
      }
      parse(pem, id);
    });
    Map<String, String> copy = Map.copyOf(publicKeys);
    return new LeakReports(() -> copy);
  }

  /**
   * Reports signed by one of the keys {@code publicKeys} returns when a report arrives, so that an
   * application can refresh them from GitHub's public-keys endpoint on its own schedule (this
   * library fetches nothing). A key that is not a valid EC public key in PEM signs nothing (logged).
   *
   * @param publicKeys the current keys: identifier to PEM
   * @return the settings, policy {@link LeakPolicy#REVOKE}
   */
  public static LeakReports github(Supplier<Map<String, String>> publicKeys) {
    return new LeakReports(Objects.requireNonNull(publicKeys, "publicKeys"));
  }

  /**
   * The keys of GitHub's public-keys document ({@code {"public_keys": [{"key_identifier", "key",
   * "is_current"}]}}), for {@link #github(Map)} or a supplier.
   *
   * @param document the document's JSON text
   * @return key identifier to PEM, in the document's order
   * @throws IllegalArgumentException if it is not such a document
   */
  public static Map<String, String> publicKeysOf(String document) {
    JsonNode root;
    try {
      root = Replies.JSON.readTree(document);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a public-keys document: not JSON");
    }
    JsonNode list = root == null ? null : root.get("public_keys");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("not a public-keys document: no public_keys list");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode k : list) {
      JsonNode id = k.get("key_identifier");
      JsonNode pem = k.get("key");
      if (id == null || !id.isTextual() || pem == null || !pem.isTextual()) {
        throw new IllegalArgumentException("not a public-keys document: each key needs key_identifier and key");
      }
      out.put(id.textValue(), pem.textValue());
    }
    return out;
  }

  /**
   * What a real leaked key's report does; default {@link LeakPolicy#REVOKE}.
   *
   * @param policy revoke at once, or mark as compromised and notify
   * @return these settings
   * @throws IllegalStateException if the policy was already given
   */
  public LeakReports policy(LeakPolicy policy) {
    requireUnset(this.policy == null, "policy");
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Called once for each key a report revoked or marked (not for repeats), after the change, so
   * that the application can tell the key's owner. Called on the request's thread; it must be quick,
   * and what it throws is logged and changes no answer.
   *
   * @param listener receives the outcome, with the key as it is now (never the token)
   * @return these settings
   * @throws IllegalStateException if a listener was already given
   */
  public LeakReports onLeak(Consumer<LeakOutcome> listener) {
    requireUnset(onLeak == null, "onLeak");
    this.onLeak = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * The most tokens one report may hold; default 1,000. A longer report is refused (400), unread.
   *
   * @param tokens 1 to 10,000
   * @return these settings
   * @throws IllegalArgumentException if out of range
   * @throws IllegalStateException if it was already given
   */
  public LeakReports maxTokens(int tokens) {
    requireUnset(maxTokens < 0, "maxTokens");
    if (tokens < 1 || tokens > 10_000) {
      throw new IllegalArgumentException("maxTokens must be between 1 and 10000, got " + tokens);
    }
    this.maxTokens = tokens;
    return this;
  }

  /**
   * The most hasher runs (Argon2id at default settings: about 22 ms each) one report may cost;
   * default 100. Tokens of existing keys beyond it are left unchecked and unchanged, get no label in
   * the answer, and are audited as {@code not_checked}.
   *
   * @param hashes 0 to 10,000
   * @return these settings
   * @throws IllegalArgumentException if out of range
   * @throws IllegalStateException if it was already given
   */
  public LeakReports maxHashes(int hashes) {
    requireUnset(maxHashes < 0, "maxHashes");
    if (hashes < 0 || hashes > 10_000) {
      throw new IllegalArgumentException("maxHashes must be between 0 and 10000, got " + hashes);
    }
    this.maxHashes = hashes;
    return this;
  }

  Supplier<Map<String, String>> publicKeys() {
    return publicKeys;
  }

  LeakPolicy resolvedPolicy() {
    return policy != null ? policy : LeakPolicy.REVOKE;
  }

  Consumer<LeakOutcome> resolvedListener() {
    return onLeak != null ? onLeak : outcome -> { };
  }

  int resolvedMaxTokens() {
    return maxTokens > 0 ? maxTokens : 1000;
  }

  int resolvedMaxHashes() {
    return maxHashes >= 0 ? maxHashes : 100;
  }

  /**
   * An EC public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo).
   *
   * @throws IllegalArgumentException naming {@code id} if it is not one
   */
  static PublicKey parse(String pem, String id) {
    String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
        .replaceAll("\\s", "");
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("publicKeys: " + id + " is not a PEM public key");
    }
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException | InvalidKeySpecException e) {
      throw new IllegalArgumentException("publicKeys: " + id + " is not an EC public key in PEM");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has EC", e);
    }
  }

  private static void requireUnset(boolean unset, String setting) {
    if (!unset) {
      throw new IllegalStateException(setting + " is already set");
    }
  }

  @Override
  public String toString() {
    return "LeakReports[github, policy=" + resolvedPolicy() + ", maxTokens=" + resolvedMaxTokens() + ", maxHashes="
        + resolvedMaxHashes() + "]";
  }
}
