package dev.keygate.sample.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * The Keygate sample as a Spring Boot application: the routes, signup, management API, API Keys
 * page and JWTs of the Jetty sample, with Keygate from {@code keygate-spring-boot-starter} and
 * its {@code keygate.*} properties ({@code application.properties}), Spring Security deciding
 * scopes with {@code @PreAuthorize}, and Spring's OAuth2 resource server for Bearer JWTs.
 */
@SpringBootApplication
@EnableMethodSecurity
public class SpringSampleApp {
  private static final String H2_RELATIVE_PATHS = "h2.implicitRelativePath";

  /** Created by Spring. */
  SpringSampleApp() {}

  /**
   * Starts the sample ({@code PORT}, {@code KEYGATE_DATA_DIR}, {@code KEYGATE_JDBC_URL}, {@code
   * KEYGATE_JWT_SECRET}: see {@code application.properties}).
   *
   * @param args Spring Boot's command-line arguments
   */
  public static void main(String[] args) {
    // KEYGATE_DATA_DIR=keygate-data (no ./) is relative to the working directory, as in the Jetty sample;
    // H2 refuses such a path in its URL unless told so
    if (System.getProperty(H2_RELATIVE_PATHS) == null) {
      System.setProperty(H2_RELATIVE_PATHS, "true");
    }
    SpringApplication.run(SpringSampleApp.class, args);
  }
}
