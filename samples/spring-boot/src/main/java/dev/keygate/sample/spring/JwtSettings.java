package dev.keygate.sample.spring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Bearer JWTs, only when {@code KEYGATE_JWT_SECRET} is set: HS256 with that secret (at least 32
 * bytes), {@code sub} and {@code exp} required, no clock skew unless {@code
 * KEYGATE_JWT_CLOCK_SKEW_SECONDS} allows some (at most 60), and {@code org}, when present, a
 * non-blank string. Unsigned ({@code alg: none}), other algorithms, tampered and expired tokens
 * are refused.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${sample.jwt.secret:}'.isBlank()")
class JwtSettings {
  static final int MAX_CLOCK_SKEW_SECONDS = 60;

  @Bean
  JwtDecoder jwtDecoder(@Value("${sample.jwt.secret}") String secret,
      @Value("${sample.jwt.clock-skew-seconds:0}") int skewSeconds) {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length < 32) {
      throw new IllegalStateException("KEYGATE_JWT_SECRET must be at least 32 bytes for HS256 (it has " + key.length + ")");
    }
    if (skewSeconds < 0 || skewSeconds > MAX_CLOCK_SKEW_SECONDS) {
      throw new IllegalStateException("KEYGATE_JWT_CLOCK_SKEW_SECONDS must be 0 to " + MAX_CLOCK_SKEW_SECONDS
          + ", got " + skewSeconds);
    }
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256).build();
    List<OAuth2TokenValidator<Jwt>> rules = new ArrayList<>();
    rules.add(new JwtTimestampValidator(Duration.ofSeconds(skewSeconds)));
    rules.add(JwtSettings::claims);
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(rules));
    return decoder;
  }

  /**
   * {@code sub} a non-blank string, {@code exp} present, {@code org} absent or a non-blank string,
   * {@code scope} absent or a string (a list or a number is refused, not turned into scopes).
   */
  static OAuth2TokenValidatorResult claims(Jwt jwt) {
    Object sub = jwt.getClaims().get("sub");
    Object org = jwt.getClaims().get("org");
    Object scope = jwt.getClaims().get("scope");
    boolean ok = sub instanceof String s && !s.isBlank() && jwt.getExpiresAt() != null
        && (org == null || org instanceof String o && !o.isBlank())
        && (scope == null || scope instanceof String) && !jwt.getClaims().containsKey("scp");
    return ok ? OAuth2TokenValidatorResult.success()
        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token's claims are not valid.", null));
  }
}
