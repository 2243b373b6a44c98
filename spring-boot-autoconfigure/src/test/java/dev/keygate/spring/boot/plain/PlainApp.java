package dev.keygate.spring.boot.plain;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that configures nothing about security: no SecurityFilterChain of its own, so
 * Keygate's default chain (a key everywhere but keygate.public-paths) applies. Its routes share
 * the management API's base path.
 */
@SpringBootApplication
@RestController
public class PlainApp {
  @GetMapping("/api/hello")
  String hello(Authentication who) {
    return "hello " + who.getName() + " " + who.getAuthorities();
  }

  @PostMapping("/api/notes")
  String note(Authentication who) {
    return "noted for " + who.getName();
  }

  @GetMapping("/open/status")
  String status() {
    return "open";
  }
}
