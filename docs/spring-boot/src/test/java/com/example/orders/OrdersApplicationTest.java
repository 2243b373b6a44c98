package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.Keygate;
import dev.keygate.NewKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * README.md's Spring Boot quick start as pasted (its classes, its application.properties, its
 * three dependencies), on a real server: the key it prints reaches the @PreAuthorize endpoint.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OrdersApplicationTest {
  private static final Pattern CURL = Pattern.compile("curl -H 'X-API-Key: (\\S+)' (http://localhost:\\d+/orders/1)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  Keygate keygate;

  private HttpResponse<String> get(String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/1"));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theKeyItPrintsReadsOrdersAndOthersAreRefused(CapturedOutput output) throws Exception {
    Matcher curl = CURL.matcher(output.getOut());
    assertThat(curl.find()).as(output.getOut()).isTrue();
    assertThat(curl.group(2)).isEqualTo("http://localhost:" + port + "/orders/1");
    String key = curl.group(1);
    assertThat(key).startsWith("kg_live_");

    HttpResponse<String> ok = get(key);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("order 1 for " + key.substring("kg_live_".length(), "kg_live_".length() + 12));

    HttpResponse<String> none = get(null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).isEqualTo("{\"detail\":\"Authentication credentials were not provided.\"}");

    String writer = keygate.keys().create(NewKey.named("writer").withScopes("orders.write")).plaintext();
    HttpResponse<String> forbidden = get(writer);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).startsWith("{\"detail\":\"You do not have permission to perform this action.\"");
    assertThat(output.getAll()).doesNotContain(writer);
  }
}
