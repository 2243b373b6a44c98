package dev.keygate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.docs.jaxrs.JaxRsQuickStart;
import dev.keygate.docs.servlet.ServletQuickStart;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The root README's two quick starts, run as pasted (their own {@code main}, in a JVM of their
 * own, on a free port given as the argument), answer what the README says they answer.
 */
class QuickStartsTest {
  /** Not in the servlet quick start's dependencies, nor brought by them. */
  private static final List<String> NOT_SERVLET = List.of("/jaxrs-filter/", "/spi-jdbc/", "/org/glassfish/",
      "/jakarta/ws/rs/", "/com/zaxxer/", "/com/h2database/", "/docs/target/test-classes", "/org/junit/",
      "/org/assertj/", "/org/awaitility/");
  /** Not in the JAX-RS quick start's dependencies, nor brought by them. */
  private static final List<String> NOT_JAXRS = List.of("/servlet-filter/", "/spi-jdbc/", "/com/zaxxer/",
      "/com/h2database/", "/docs/target/test-classes", "/org/junit/", "/org/assertj/", "/org/awaitility/");
  private static final Path RUNS = Path.of(System.getProperty("keygate.test.dir", "target"), "quickstarts");

  @Test
  void servletQuickStartAnswers200WithTheKeyItPrintsAnd401WithoutOne() throws Exception {
    try (QuickStartProcess app = QuickStartProcess.start(ServletQuickStart.class, RUNS.resolve("servlet"), NOT_SERVLET,
        Integer.toString(QuickStartProcess.freePort()))) {
      assertThat(app.url.getPath()).isEqualTo("/orders/1");

      HttpResponse<String> ok = app.send("GET", "/orders/1", "X-API-Key", app.key);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      String keyId = app.key.substring("kg_live_".length(), "kg_live_".length() + 12);
      assertThat(ok.body()).isEqualTo("Hello " + keyId + ", orders.read: true\n");

      HttpResponse<String> none = app.send("GET", "/orders/1");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");

      HttpResponse<String> bearer = app.send("GET", "/orders/1", "Authorization", "Bearer x");
      assertThat(bearer.statusCode()).isEqualTo(401);
      assertThat(bearer.body()).isEqualTo("{\"detail\":\"Invalid bearer token.\"}");

      // the key reads, it may not write
      HttpResponse<String> write = app.send("POST", "/orders/1", "X-API-Key", app.key);
      assertThat(write.statusCode()).isEqualTo(403);
      assertThat(write.body()).contains("\"required_scopes\":[\"orders.write\"]");
    }
  }

  @Test
  void jaxRsQuickStartAnswers200WithTheKeyItPrintsAnd401WithoutOne() throws Exception {
    try (QuickStartProcess app = QuickStartProcess.start(JaxRsQuickStart.class, RUNS.resolve("jaxrs"), NOT_JAXRS,
        Integer.toString(QuickStartProcess.freePort()))) {
      HttpResponse<String> ok = app.send("GET", "/orders/1", "X-API-Key", app.key);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      String keyId = app.key.substring("kg_live_".length(), "kg_live_".length() + 12);
      assertThat(ok.body()).isEqualTo("order 1 for " + keyId);

      HttpResponse<String> none = app.send("GET", "/orders/1");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");

      assertThat(app.send("GET", "/orders/ping").body()).isEqualTo("ok");
      HttpResponse<String> write = app.send("POST", "/orders", "X-API-Key", app.key);
      assertThat(write.statusCode()).isEqualTo(403);
      assertThat(write.body()).contains("\"required_scopes\":[\"orders.write\"]");
      assertThat(app.stderr()).doesNotContain(app.key);
    }
  }
}
