package dev.keygate.spring.boot.servletonly;

import dev.keygate.KeygatePrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A Spring Boot application without Spring Security: Keygate's servlet filter guards it. */
@SpringBootApplication
@RestController
public class ServletOnlyApp {
  @GetMapping("/api/orders")
  String orders(HttpServletRequest request) {
    KeygatePrincipal who = (KeygatePrincipal) request.getUserPrincipal();
    return "orders for " + who.keyId();
  }

  @GetMapping("/api/profile")
  String profile(HttpServletRequest request) {
    return "profile of " + request.getUserPrincipal().getName();
  }

  @GetMapping("/open/status")
  String status() {
    return "open";
  }
}
