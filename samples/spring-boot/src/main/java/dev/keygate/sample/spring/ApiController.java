package dev.keygate.sample.spring;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The protected resources, each with the scope the reference products use, beside the management
 * API under {@code /api/v1}. A key's scopes are Spring authorities ({@code SCOPE_datasets.read}),
 * a JWT's {@code scope} claim too.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
class ApiController {
  @GetMapping("/datasets")
  @PreAuthorize("hasAuthority('SCOPE_datasets.read')")
  Map<String, Object> datasets(Authentication who) {
    return Map.of("organization", Caller.requireOrganization(who), "items", List.of(Map.of("id", "ds_1", "name", "example")));
  }

  @PostMapping("/datasets")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAuthority('SCOPE_datasets.write')")
  Map<String, Object> createDataset(Authentication who) {
    return Map.of("id", "ds_2", "organization", Caller.requireOrganization(who));
  }

  @GetMapping("/projects")
  @PreAuthorize("hasAuthority('SCOPE_projects.read')")
  Map<String, Object> projects(Authentication who) {
    return Map.of("organization", Caller.requireOrganization(who), "items", List.of());
  }

  @PostMapping("/exports")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @PreAuthorize("hasAuthority('SCOPE_exports.create')")
  Map<String, Object> export(Authentication who) {
    return Map.of("status", "queued", "organization", Caller.requireOrganization(who));
  }

  @GetMapping("/tasks")
  @PreAuthorize("hasAuthority('SCOPE_tasks.read')")
  Map<String, Object> tasks(Authentication who) {
    return Map.of("organization", Caller.requireOrganization(who), "items", List.of());
  }

  /** Who am I: any valid credential. */
  @GetMapping("/me")
  Map<String, Object> me(Authentication who) {
    return Caller.describe(who);
  }
}
