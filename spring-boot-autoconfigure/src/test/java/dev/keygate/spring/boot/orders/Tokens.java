package dev.keygate.spring.boot.orders;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Date;

/** JWTs signed by the tests' own key pair, which the application's {@code JwtDecoder} trusts. */
public final class Tokens {
  static final KeyPair KEYS = generate();

  private Tokens() {}

  /**
   * A token valid for an hour (real time: the resource server reads the system clock).
   *
   * @param subject its subject
   * @param scope its space-separated scopes
   * @return the compact JWT
   */
  public static String jwt(String subject, String scope) {
    try {
      long now = System.currentTimeMillis();
      JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim("scope", scope)
          .issueTime(new Date(now)).expirationTime(new Date(now + 3_600_000)).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
      jwt.sign(new RSASSASigner(KEYS.getPrivate()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
