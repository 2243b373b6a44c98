package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.spring.boot.plain.PlainApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** keygate.require-https: plain HTTP is the 403 row; HTTPS as a trusted proxy reports it passes. */
@SpringBootTest(classes = PlainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "keygate.hasher.memory-kib=1024",
    "keygate.require-https=true",
    "keygate.trusted-proxies=127.0.0.1",
    "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class RequireHttpsTest {
  @LocalServerPort
  int port;

  @Autowired
  Keygate keygate;

  @Test
  void plainHttpIsRefusedAndHttpsBehindATrustedProxyPasses() throws Exception {
    IssuedKey k = keygate.keys().create(NewKey.named("tls"));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello"))
        .header("X-API-Key", k.plaintext());
    HttpResponse<String> plain = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(403);
    assertThat(plain.body()).isEqualTo("{\"detail\":\"HTTPS is required.\"}");
    HttpResponse<String> proxied = http.send(b.header("X-Forwarded-For", "203.0.113.9").header("X-Forwarded-Proto", "https")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(200);
  }
}
