package dev.keygate.sample.spring;

import dev.keygate.AuthenticationEngine;
import dev.keygate.spring.security.KeygateAuthenticationToken;
import dev.keygate.spring.security.KeygateConfigurer;
import dev.keygate.spring.security.KeygateRefusalHandler;
import jakarta.servlet.DispatcherType;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.core.Authentication;
import java.util.function.Supplier;

/**
 * The application's chain: {@code /health} and signup are public, everything else needs an API
 * key (Keygate) or, when {@code KEYGATE_JWT_SECRET} is set, a Bearer JWT (Spring's resource
 * server); a key decides whenever one is sent. The management API and the page have the chain the
 * starter gives them. Stateless: no session, no cookie, so no CSRF token either.
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurity {
  /** Paths Keygate leaves alone and anyone may call. */
  static final String[] PUBLIC = {"/health", "/api/v1/signup"};

  @Bean
  SecurityFilterChain sampleChain(HttpSecurity http, AuthenticationEngine engine,
      ObjectProvider<JwtDecoder> jwt) throws Exception {
    http.authorizeHttpRequests(a -> a
            // Spring's error dispatch (after a 404 or 405 the servlet container raised) is answered as JSON
            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
            .requestMatchers(PUBLIC).permitAll()
            // Actuator reports on the whole server (every organization's traffic): the operator's
            // organization only, the one the bootstrap admin key belongs to
            .requestMatchers("/actuator/**").access(SampleSecurity::operator)
            .anyRequest().authenticated())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .with(KeygateConfigurer.keygate().ignoring(PUBLIC), Customizer.withDefaults());
    @Nullable JwtDecoder decoder = jwt.getIfAvailable();
    if (decoder != null) {
      // a token nobody accepts is Keygate's JSON 401 "Invalid bearer token.", as without the resource server
      KeygateRefusalHandler refusals = new KeygateRefusalHandler(engine);
      http.oauth2ResourceServer(o -> o.jwt(j -> j.decoder(decoder)).authenticationEntryPoint(refusals)
          .accessDeniedHandler(refusals));
    }
    return http.build();
  }

  /** Whether the caller is a key of the operator's organization ({@value BootstrapKey#ORGANIZATION}). */
  static AuthorizationDecision operator(Supplier<? extends Authentication> who, RequestAuthorizationContext request) {
    return new AuthorizationDecision(who.get() instanceof KeygateAuthenticationToken key
        && BootstrapKey.ORGANIZATION.equals(key.getPrincipal().owner()));
  }
}
