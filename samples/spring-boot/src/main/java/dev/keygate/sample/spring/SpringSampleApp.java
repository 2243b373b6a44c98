package dev.keygate.sample.spring;

import java.nio.file.Path;
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
  private static final String DATA_DIR = "KEYGATE_DATA_DIR";

  /** Created by Spring. */
  SpringSampleApp() {}

  /**
   * Starts the sample ({@code PORT}, {@code KEYGATE_DATA_DIR}, {@code KEYGATE_JDBC_URL}, {@code
   * KEYGATE_JWT_SECRET}: see {@code application.properties}).
   *
   * @param args Spring Boot's command-line arguments
   */
  public static void main(String[] args) {
    String dataDir = System.getenv(DATA_DIR);
    if (dataDir != null && !dataDir.isBlank() && System.getProperty(DATA_DIR) == null) {
      if (dataDir.indexOf(';') >= 0) { // the path goes into H2's JDBC URL, where a ';' starts a setting
        System.err.println("keygate-sample: " + DATA_DIR + " must not contain ';', got '" + dataDir + "'");
        System.exit(2);
        return;
      }
      // KEYGATE_DATA_DIR=keygate-data is relative to the working directory, as in the Jetty sample;
      // H2 refuses such a path in its URL, so it is made absolute here (system properties win over the environment)
      System.setProperty(DATA_DIR, Path.of(dataDir).toAbsolutePath().toString());
    }
    SpringApplication.run(SpringSampleApp.class, args);
  }
}
