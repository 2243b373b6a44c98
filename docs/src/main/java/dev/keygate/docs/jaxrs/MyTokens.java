package dev.keygate.docs.jaxrs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/** Stands for the application's own token verifier: one fixed token, for the tests. */
public final class MyTokens {
  /** The one token {@link #verify} accepts. */
  public static final String VALID_TOKEN = "docs-example-token";
  private static final MyTokens SHARED = new MyTokens();

  private MyTokens() {}

  /** The application's verifier. */
  public static MyTokens shared() {
    return SHARED;
  }

  /** The token's user, or null when the token is not valid. */
  public MyUser verify(String token) {
    boolean valid = MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
        VALID_TOKEN.getBytes(StandardCharsets.UTF_8));
    return valid ? new MyUser("reporting-job", Set.of("orders.read")) : null;
  }
}
