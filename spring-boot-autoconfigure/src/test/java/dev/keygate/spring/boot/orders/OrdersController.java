package dev.keygate.spring.boot.orders;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Routes guarded three ways: {@code @PreAuthorize}, the chain's rules, and a secured service. */
@RestController
class OrdersController {
  private final Reports reports;

  OrdersController(Reports reports) {
    this.reports = reports;
  }

  @GetMapping("/orders")
  @PreAuthorize("hasAuthority('SCOPE_orders.read')")
  String orders(Authentication who) {
    return "orders for " + who.getName();
  }

  @PostMapping("/orders")
  String create(Authentication who) {
    return "created by " + who.getName();
  }

  @GetMapping("/me")
  String me(Authentication who) {
    return who.getClass().getSimpleName() + " " + who.getName() + " " + who.getAuthorities();
  }

  @GetMapping("/reports")
  String reports() {
    return reports.monthly();
  }

  @GetMapping("/boom")
  String boom() {
    throw new IllegalStateException("a bug in the application");
  }

  @GetMapping("/payouts")
  @PreAuthorize("hasAuthority('KEYGATE_ENVIRONMENT_live')")
  String payouts(Authentication who) {
    return "payouts for " + who.getName();
  }

  @GetMapping("/payouts/scoped")
  @PreAuthorize("hasAuthority('KEYGATE_ENVIRONMENT_live') and hasAuthority('SCOPE_orders.write')")
  String scopedPayouts(Authentication who) {
    return "scoped payouts for " + who.getName();
  }

  @GetMapping("/public/ping")
  String ping() {
    return "pong";
  }
}
