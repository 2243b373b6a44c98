// tag::spring-boot-quickstart[]
package com.example.orders;

import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.spring.security.KeygateConfigurer;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@EnableMethodSecurity
@RestController
public class OrdersApplication {
  public static void main(String[] args) {
    SpringApplication.run(OrdersApplication.class, args);
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .with(KeygateConfigurer.keygate(), Customizer.withDefaults())   // the one line
        .build();
  }

  @GetMapping("/orders/{id}")
  @PreAuthorize("hasAuthority('SCOPE_orders.read')")
  String order(@PathVariable("id") String id, Authentication caller) {
    return "order " + id + " for " + caller.getName();
  }

  /** For this demo: a first key, and a curl line to try it. */
  @Bean
  ApplicationRunner firstKey(Keygate keygate, Environment env) {
    return args -> {
      String key = keygate.keys().create(NewKey.named("first").withScopes("orders.read")).plaintext();
      System.out.println("curl -H 'X-API-Key: " + key + "' http://localhost:"
          + env.getProperty("local.server.port") + "/orders/1");
    };
  }
}
// end::spring-boot-quickstart[]
