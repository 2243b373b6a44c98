package dev.keygate.hash;

import java.util.List;
import java.util.Objects;

/** See {@link KeyHasher#preferring}. */
final class PreferringHasher implements KeyHasher {
  private final KeyHasher primary;
  private final List<KeyHasher> all;

  PreferringHasher(KeyHasher primary, KeyHasher... others) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.all =
        java.util.stream.Stream.concat(java.util.stream.Stream.of(primary), List.of(others).stream())
            .toList();
  }

  @Override
  public String hash(byte[] secret) {
    return primary.hash(secret);
  }

  @Override
  public boolean verify(String encodedHash, byte[] secret) {
    for (KeyHasher h : all) {
      if (h.supports(encodedHash)) {
        return h.verify(encodedHash, secret);
      }
    }
    return false;
  }

  @Override
  public boolean needsRehash(String encodedHash) {
    return !primary.supports(encodedHash) || primary.needsRehash(encodedHash);
  }

  @Override
  public boolean supports(String encodedHash) {
    return all.stream().anyMatch(h -> h.supports(encodedHash));
  }

  @Override
  public String toString() {
    return "PreferringHasher" + all;
  }
}
