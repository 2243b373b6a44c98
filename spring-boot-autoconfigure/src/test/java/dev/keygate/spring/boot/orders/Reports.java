package dev.keygate.spring.boot.orders;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Method security on a service, not a controller. */
@Service
public class Reports {
  /**
   * The monthly report.
   *
   * @return its text
   */
  @PreAuthorize("hasAuthority('SCOPE_reports.read')")
  public String monthly() {
    return "monthly report";
  }
}
