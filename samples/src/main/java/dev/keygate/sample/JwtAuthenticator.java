package dev.keygate.sample;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.keygate.BearerTokenAuthenticator;
import dev.keygate.AuthMethod;
import dev.keygate.KeygatePrincipal;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Accepts HS256 JWTs signed with the configured secret: {@code sub} (required, a non-blank string)
 * is the subject, {@code org} (optional; when present a non-blank string) the organization, {@code
 * scope} space-separated scopes, {@code exp} required. Unsigned ({@code alg: none}), other
 * algorithms, tampered and expired tokens are refused. Expired means expired: no clock skew unless
 * one is configured (at most {@link SampleConfig#MAX_JWT_CLOCK_SKEW_SECONDS}). A token without
 * {@code org} authenticates, but belongs to no organization, so organization routes refuse it 403.
 */
final class JwtAuthenticator implements BearerTokenAuthenticator {
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  /**
   * @throws IllegalArgumentException if the skew is negative or over a minute
   */
  JwtAuthenticator(byte[] secret, Duration clockSkew, Clock clock) {
    if (clockSkew.isNegative() || clockSkew.toSeconds() > SampleConfig.MAX_JWT_CLOCK_SKEW_SECONDS) {
      throw new IllegalArgumentException("JWT clock skew must be 0 to " + SampleConfig.MAX_JWT_CLOCK_SKEW_SECONDS
          + " seconds, got " + clockSkew);
    }
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret)));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, null, Set.of("sub", "exp")) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claims.setMaxClockSkew((int) clockSkew.toSeconds()); // nimbus allows 60 s unless told otherwise
    processor.setJWTClaimsSetVerifier(claims);
  }

  @Override
  public Optional<KeygatePrincipal> authenticate(String token) {
    JWTClaimsSet claims;
    Map<String, Object> raw;
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      claims = processor.process(jwt, null);
      raw = jwt.getPayload().toJSONObject(); // nimbus turns a numeric sub into text; the raw claims do not
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return Optional.empty();
    }
    try {
      String org = claims.getStringClaim("org");
      String scope = claims.getStringClaim("scope");
      if (!(raw.get("sub") instanceof String subject) || subject.isBlank()
          || (raw.get("org") != null && isBlank(org))) {
        return Optional.empty();
      }
      Set<String> scopes = new LinkedHashSet<>();
      if (scope != null && !scope.isBlank()) {
        scopes.addAll(Arrays.asList(scope.strip().split("\\s+")));
      }
      // a token the deployment's own secret signed is a live credential: it reaches live-only routes
      return Optional.of(new KeygatePrincipal(AuthMethod.BEARER, subject, null, null, org, scopes, false,
          SampleApp.LIVE, Map.of()));
    } catch (ParseException wrongClaimType) {
      return Optional.empty();
    }
  }

  private static boolean isBlank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
