package dev.keygate.spring.boot.orders;

import dev.keygate.spring.security.KeygateConfigurer;
import dev.keygate.testkit.MutableClock;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application as a Spring Boot user writes it: its own chain with a JWT resource server, one
 * line for Keygate, {@code @PreAuthorize} on scopes. CSRF stays on (Spring's default).
 */
@SpringBootApplication
@EnableMethodSecurity
public class OrdersApp {
  /** The test clock: tests move it to expire keys. */
  public static final MutableClock CLOCK = MutableClock.atEpochOfTests();

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/public/**").permitAll()
            .requestMatchers(HttpMethod.POST, "/orders").hasAuthority("SCOPE_orders.write")
            .anyRequest().authenticated())
        .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults()))
        .with(KeygateConfigurer.keygate(), Customizer.withDefaults());
    return http.build();
  }

  @Bean
  JwtDecoder jwtDecoder() {
    return NimbusJwtDecoder.withPublicKey((RSAPublicKey) Tokens.KEYS.getPublic()).build();
  }

  @Bean
  Clock clock() {
    return CLOCK;
  }
}
