package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's {@code web.xml} example works as pasted, and its HTTPS advice is true. */
class ReadmeWebXmlTest extends FilterTestBase {
  private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
  private static final String FORWARDED_HTTPS = "X-Forwarded-Proto";

  @TempDir Path webapp;

  @Test
  void webXmlExampleAnswersPlainHttpAsDocumented() throws Exception {
    IssuedKey reader = keys.create(NewKey.named("reader").withScopes("orders.read"));
    TestServer s = deploy(filterExample());

    assertThat(assertEchoed(s.get("/orders/1", "X-API-Key", reader.plaintext())))
        .containsEntry("principal", reader.key().id());
    assertThat(assertEchoed(s.get("/orders/1", "X-Avala-Api-Key", reader.plaintext())))
        .containsEntry("principal", reader.key().id());
    assertEchoed(s.get("/health"));
    assertRefused(s.get("/orders/1"), 401, NO_CREDENTIALS,
        "ApiKey realm=\"keygate\", header=\"X-Avala-Api-Key\"", null);
    assertThat(s.send("POST", "/orders/1", "X-API-Key", reader.plaintext()).statusCode()).isEqualTo(403);
    assertRefused(s.get("/other", "Authorization", "Bearer x"), 401, UnverifiedBearerTokenTest.INVALID_BEARER,
        UnverifiedBearerTokenTest.BEARER_CHALLENGE, null);
  }

  @Test
  void requireHttpsSnippetNeedsTrustedProxiesBehindATlsTerminatingProxy() throws Exception {
    String key = keys.key("orders.read");
    String withHttps = filterExample().replace("</filter>", requireHttpsSnippet() + "</filter>");
    TestServer s = deploy(withHttps);

    // the proxy (here 127.0.0.1) is not trusted: its X-Forwarded-Proto is ignored
    assertRefused(s.get("/orders/1", "X-API-Key", key), 403, "{\"detail\":\"HTTPS is required.\"}", null, null);
    assertRefused(s.get("/orders/1", "X-API-Key", key, FORWARDED_HTTPS, "https"), 403,
        "{\"detail\":\"HTTPS is required.\"}", null, null);
    server.close();

    server = deploy(withHttps.replace("</filter>", """
        <init-param>
          <param-name>trustedProxies</param-name>
          <param-value>127.0.0.1</param-value>
        </init-param>
        </filter>"""));

    assertEchoed(server.get("/orders/1", "X-API-Key", key, FORWARDED_HTTPS, "https"));
    assertThat(server.get("/orders/1", "X-API-Key", key).statusCode()).isEqualTo(403);
  }

  /** The README block that declares the filter. */
  private static String filterExample() throws IOException {
    return readmeXmlBlocks().stream().filter(b -> b.contains("dev.keygate.servlet.KeygateFilter"))
        .findFirst().orElseThrow();
  }

  /** The README block that turns {@code requireHttps} on. */
  private static String requireHttpsSnippet() throws IOException {
    return readmeXmlBlocks().stream()
        .filter(b -> b.startsWith("<init-param>") && b.contains("requireHttps")).findFirst().orElseThrow();
  }

  private static List<String> readmeXmlBlocks() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("basedir", "."), "README.md"));
    List<String> blocks = new ArrayList<>();
    Matcher m = XML_BLOCK.matcher(readme);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** A web application whose web.xml is {@code filter} and the echo servlet; the engine comes from ServiceLoader. */
  private TestServer deploy(String filter) throws Exception {
    Path dir = Files.createTempDirectory(webapp, "app");
    Files.createDirectories(dir.resolve("WEB-INF"));
    Files.writeString(dir.resolve("WEB-INF/web.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        %s
          <servlet>
            <servlet-name>echo</servlet-name>
            <servlet-class>dev.keygate.servlet.EchoServlet</servlet-class>
          </servlet>
          <servlet-mapping>
            <servlet-name>echo</servlet-name>
            <url-pattern>/*</url-pattern>
          </servlet-mapping>
        </web-app>
        """.formatted(filter));
    WebAppContext context = new WebAppContext();
    context.setContextPath("/");
    context.setBaseResourceAsPath(dir);
    context.setParentLoaderPriority(true);
    context.setThrowUnavailableOnStartupException(true);
    server = TestServer.start(context);
    return server;
  }
}
