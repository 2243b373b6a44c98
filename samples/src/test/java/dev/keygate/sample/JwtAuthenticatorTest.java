package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.keygate.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** The configurable JWT clock skew, on the real verifier (the default of none is proven over HTTP). */
class JwtAuthenticatorTest {
  private static final byte[] SECRET = "an-hs256-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private static String token(Instant exp, Instant notBefore) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("u")
        .claim("org", "acme").expirationTime(Date.from(exp)).notBeforeTime(Date.from(notBefore)).build());
    jwt.sign(new MACSigner(SECRET));
    return jwt.serialize();
  }

  @Test
  void aConfiguredSkewAcceptsThatMuchAndNoMore() throws Exception {
    JwtAuthenticator fiveSeconds = new JwtAuthenticator(SECRET, Duration.ofSeconds(5), clock);
    Instant now = clock.instant();
    assertThat(fiveSeconds.authenticate(token(now.minusSeconds(4), now.minusSeconds(60)))).isPresent();
    assertThat(fiveSeconds.authenticate(token(now.minusSeconds(5), now.minusSeconds(60)))).isEmpty();
    assertThat(fiveSeconds.authenticate(token(now.plusSeconds(60), now.plusSeconds(4)))).isPresent();
    assertThat(fiveSeconds.authenticate(token(now.plusSeconds(60), now.plusSeconds(6)))).isEmpty();
  }

  @Test
  void withoutSkewExpiredMeansExpiredAndNotYetMeansNotYet() throws Exception {
    // (nimbus accepts a token from just after its nbf: one whose nbf is this very millisecond waits)
    JwtAuthenticator none = new JwtAuthenticator(SECRET, Duration.ZERO, clock);
    Instant now = clock.instant();
    assertThat(none.authenticate(token(now.plusSeconds(1), now.minusSeconds(1)))).isPresent();
    assertThat(none.authenticate(token(now, now.minusSeconds(1)))).isEmpty();
    assertThat(none.authenticate(token(now.plusSeconds(60), now.plusSeconds(1)))).isEmpty();
  }

  @Test
  void aSkewOverAMinuteIsRefused() {
    assertThatThrownBy(() -> new JwtAuthenticator(SECRET, Duration.ofSeconds(61), clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JwtAuthenticator(SECRET, Duration.ofSeconds(-1), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
