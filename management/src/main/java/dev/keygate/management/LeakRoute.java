package dev.keygate.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keygate.ApiKeyService;
import dev.keygate.LeakOutcome;
import dev.keygate.LeakPolicy;
import dev.keygate.ReportedLeak;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /secret-scanning/github}: checks the signature over the raw body, then reads the
 * list, then lets core act on it ({@link ApiKeyService#reportLeaks}), and answers each token with
 * GitHub's feedback format. A refusal (401, 400, 413, 415) changes nothing.
 */
final class LeakRoute {
  private static final Logger LOG = LoggerFactory.getLogger(LeakRoute.class);
  static final String KEY_ID_HEADER = "Github-Public-Key-Identifier";
  static final String SIGNATURE_HEADER = "Github-Public-Key-Signature";
  /** Parsed keys by PEM text, so that a supplier's unchanged keys are parsed once; cleared past this many. */
  private static final int MAX_PARSED = 64;

  private final ApiKeyService keys;
  private final Supplier<Map<String, String>> publicKeys;
  private final LeakPolicy policy;
  private final Consumer<LeakOutcome> onLeak;
  private final int maxTokens;
  private final int maxHashes;
  private final Map<String, PublicKey> parsed = new ConcurrentHashMap<>();

  LeakRoute(ApiKeyService keys, LeakReports settings) {
    this.keys = keys;
    this.publicKeys = settings.publicKeys();
    this.policy = settings.resolvedPolicy();
    this.onLeak = settings.resolvedListener();
    this.maxTokens = settings.resolvedMaxTokens();
    this.maxHashes = settings.resolvedMaxHashes();
  }

  ManagementResponse handle(ManagementRequest request, boolean hasQuery) {
    if (!request.method().equals("POST")) {
      return KeyManagement.notAllowed("POST");
    }
    if (hasQuery) {
      return Replies.error(400, "Unknown query parameter; this route takes none.");
    }
    List<String> ids = request.headers(KEY_ID_HEADER);
    List<String> signatures = request.headers(SIGNATURE_HEADER);
    if (ids.size() != 1 || signatures.size() != 1) {
      return Replies.error(401, "A signed report is required: one " + KEY_ID_HEADER + " and one " + SIGNATURE_HEADER + ".");
    }
    PublicKey key = publicKey(ids.get(0));
    if (key == null) {
      return Replies.error(401, "Unknown " + KEY_ID_HEADER + ".");
    }
    if (!Bodies.saysJson(request)) {
      return Replies.error(415, "Content-Type: must be application/json.");
    }
    List<ReportedLeak> leaks = new ArrayList<>();
    List<String> types = new ArrayList<>();
    try {
      byte[] body = Bodies.bytes(request, LeakReports.MAX_BYTES);
      if (!verifies(key, signatures.get(0), body)) {
        return Replies.error(401, "The signature does not match the report.");
      }
      read(Bodies.tree(body), leaks, types);
    } catch (Bodies.BadBody e) {
      return Replies.error(e.status(), e.getMessage());
    }
    List<LeakOutcome> outcomes = keys.reportLeaks(leaks, policy, maxHashes);
    ArrayNode answer = Replies.JSON.createArrayNode();
    for (int i = 0; i < outcomes.size(); i++) {
      LeakOutcome o = outcomes.get(i);
      if (o.verdict() == LeakOutcome.Verdict.NOT_CHECKED) {
        continue; // neither label would be true; the audit trail has it
      }
      // the token's SHA-256, not the token: an answer (and whatever logs it) never carries a live secret
      answer.addObject().put("token_hash", leaks.get(i).tokenSha256()).put("token_type", types.get(i))
          .put("label", o.truePositive() ? "true_positive" : "false_positive");
      if (o.verdict() == LeakOutcome.Verdict.REVOKED || o.verdict() == LeakOutcome.Verdict.MARKED) {
        notifyOnce(o, outcomes.subList(0, i));
      }
    }
    return Replies.json(200, answer);
  }

  /** The listener hears of each changed key once, though the report may name its token twice. */
  private void notifyOnce(LeakOutcome o, List<LeakOutcome> before) {
    for (LeakOutcome earlier : before) {
      if (earlier == o) {
        return;
      }
    }
    try {
      onLeak.accept(o);
    } catch (RuntimeException e) {
      LOG.warn("leak listener failed for key {}", o.keyId(), e);
    }
  }

  private @Nullable PublicKey publicKey(String id) {
    String pem = publicKeys.get().get(id);
    if (pem == null) {
      return null;
    }
    PublicKey key = parsed.get(pem);
    if (key == null) {
      try {
        key = LeakReports.parse(pem, id);
      } catch (IllegalArgumentException e) {
        LOG.warn("leak reports: {}", e.getMessage());
        return null;
      }
      if (parsed.size() >= MAX_PARSED) {
        parsed.clear();
      }
      parsed.put(pem, key);
    }
    return key;
  }

  /** ECDSA P-256 with SHA-256, the signature base64 DER, over the bytes exactly as they arrived. */
  static boolean verifies(PublicKey key, String signature, byte[] body) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(key);
      s.update(body);
      return s.verify(Base64.getDecoder().decode(signature.strip()));
    } catch (IllegalArgumentException | GeneralSecurityException e) { // not base64, not DER, not a key for this
      return false;
    }
  }

  /** The list: each entry an object with {@code token} and {@code type}; {@code url} and {@code source} may be absent. */
  private void read(JsonNode list, List<ReportedLeak> leaks, List<String> types) throws Bodies.BadBody {
    if (!list.isArray()) {
      throw new Bodies.BadBody(400, "The body must be a JSON list of {token, type, url, source}.");
    }
    if (list.size() > maxTokens) {
      throw new Bodies.BadBody(400, "A report holds at most " + maxTokens + " tokens.");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      if (!entry.isObject()) {
        throw new Bodies.BadBody(400, "[" + i + "]: must be an object {token, type, url, source}");
      }
      String token = text(entry, i, "token", true);
      String type = text(entry, i, "type", true);
      leaks.add(new ReportedLeak(token, text(entry, i, "url", false), text(entry, i, "source", false)));
      types.add(type);
    }
  }

  /** A string field; GitHub's url may be empty and older reports have no source, so those may be absent. */
  private static String text(JsonNode entry, int i, String field, boolean required) throws Bodies.BadBody {
    JsonNode v = entry.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new Bodies.BadBody(400, "[" + i + "]." + field + ": is required");
      }
      return "";
    }
    if (!v.isTextual()) {
      throw new Bodies.BadBody(400, "[" + i + "]." + field + ": must be a string");
    }
    return v.textValue();
  }

  @Override
  public String toString() {
    return "LeakRoute[" + policy + ", maxTokens=" + maxTokens + ", maxHashes=" + maxHashes + "]";
  }
}
