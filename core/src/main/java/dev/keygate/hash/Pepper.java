package dev.keygate.hash;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA-256 keyed by a server-side pepper. The pepper never appears in {@link #toString()}. */
final class Pepper {
  private final SecretKeySpec key;

  Pepper(byte[] pepper) {
    if (pepper.length < 16) {
      throw new IllegalArgumentException("pepper must be at least 16 bytes, got " + pepper.length);
    }
    this.key = new SecretKeySpec(pepper.clone(), "HmacSHA256");
  }

  byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "Pepper[redacted]";
  }
}
