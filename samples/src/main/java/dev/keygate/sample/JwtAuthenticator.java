package dev.keygate.sample;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.keygate.BearerTokenAuthenticator;
import dev.keygate.KeygatePrincipal;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Accepts HS256 JWTs signed with the configured secret: {@code sub} is the subject, {@code org}
 * the organization, {@code scope} space-separated scopes, {@code exp} required. Unsigned
 * ({@code alg: none}), other algorithms, tampered and expired tokens are refused.
 */
final class JwtAuthenticator implements BearerTokenAuthenticator {
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  JwtAuthenticator(byte[] secret, Clock clock) {
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret)));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, null, Set.of("sub", "exp")) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    });
  }

  @Override
  public Optional<KeygatePrincipal> authenticate(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return Optional.empty();
    }
    try {
      String org = claims.getStringClaim("org");
      String scope = claims.getStringClaim("scope");
      Set<String> scopes = new LinkedHashSet<>();
      if (scope != null && !scope.isBlank()) {
        scopes.addAll(java.util.Arrays.asList(scope.strip().split("\\s+")));
      }
      return Optional.of(KeygatePrincipal.bearer(claims.getSubject(), org, scopes));
    } catch (ParseException wrongClaimType) {
      return Optional.empty();
    }
  }
}
