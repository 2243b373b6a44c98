package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.LeakOutcome;
import dev.keygate.LeakPolicy;
import dev.keygate.ReportedLeak;
import dev.keygate.sample.SampleClient.Reply;
import dev.keygate.testkit.CountingHasher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The API Keys page at /console/ in headless Chromium against the real sample (H2 under target/,
 * a free port): the journey a customer takes, from sign-in with the bootstrap key to deleting a
 * revoked key, with the key read from the page and used over HTTP. Screenshots go to
 * target/screenshots/ (list.png, create-form.png, show-once.png and more).
 */
@BrowserTest
class ApiKeysPageBrowserTest {
  private static final String BOOTSTRAP_LINE = "Bootstrap admin key: ";
  private static final AtomicInteger ORGS = new AtomicInteger();
  private static final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private static SampleApp app;
  private static SampleClient client;
  private static String bootstrapKey;
  private static Chromium chromium;
  private static ChromeDriver driver;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createDirectories(Chromium.TARGET.resolve("browser-test-data").resolve(UUID.randomUUID().toString()));
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("KEYGATE_DATA_DIR", dataDir.toString());
    env.put("KEYGATE_FAILURES_PER_MINUTE", "100000");
    app = SampleApp.start(SampleConfig.fromEnv(env), Clock.systemUTC(), CountingHasher.cheapArgon2id(),
        new PrintStream(console, true, StandardCharsets.UTF_8));
    client = new SampleClient(app.port());
    bootstrapKey = console.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(BOOTSTRAP_LINE))
        .findFirst().orElseThrow().substring(BOOTSTRAP_LINE.length());
    chromium = Chromium.start();
    driver = chromium.driver();
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (app != null) {
        app.close();
      }
    }
  }

  @BeforeEach
  void freshPage() {
    chromium.fullSize();
    chromium.consoleMessages(); // drop what earlier tests logged
  }

  /** Nothing the page did broke its CSP, threw, or printed a key to the console. */
  @AfterEach
  void consoleIsClean() {
    List<String> messages = chromium.consoleMessages();
    assertThat(messages).noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
        .noneMatch(m -> m.contains("Uncaught") || m.contains("TypeError") || m.contains("ReferenceError"))
        .noneMatch(m -> m.contains("kg_live_"));
  }

  // ------------------------------------------------------------------ the journey

  @Test
  void createUseRegenerateRevokeAndDeleteAKeyFromThePage() throws Exception {
    open();
    signIn(bootstrapKey);
    assertThat(text("org-name")).isEqualTo("default");
    assertThat(text("product-name")).isEqualTo("Keygate sample");
    assertNothingStored();

    // create a key with one scope that expires in 30 days
    click("create-key");
    WebElement dialog = waitOpen("create-dialog");
    assertThat(dialog.findElement(By.id("create-full-access-row")).isDisplayed()).isTrue(); // a full-access caller
    type("create-name", "ci_deploy");
    scopeBox("datasets.read").click();
    new Select(byId("create-expiry")).selectByValue("30");
    String in30Days = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
    wait.until(d -> text("create-expiry-summary").equals("Expires on " + in30Days)
        || text("create-expiry-summary").equals("Expires on " + LocalDate.now(ZoneOffset.UTC).plusDays(31)));
    new Select(byId("create-environment")).selectByValue("live");
    type("create-allowed-ips", "127.0.0.1\n::1/128");
    click("create-advanced-toggle");
    type("create-rate-requests", "600");
    new Select(byId("create-rate-period")).selectByValue("60");
    chromium.screenshot("create-form-bottom.png");
    driver.executeScript("arguments[0].scrollTop = 0", dialog);
    chromium.screenshot("create-form.png");
    click("create-submit");

    // the key, once
    waitOpen("show-once-dialog");
    assertThat(text("show-once-heading")).isEqualTo("Save your API key");
    assertThat(text("show-once-warning"))
        .isEqualTo("This is the only time the key is shown. Store it somewhere safe; if you lose it, regenerate it.");
    String key = byId("show-once-key").getDomProperty("value");
    assertThat(key).startsWith("kg_live_");
    assertThat(byId("show-once-key").getDomAttribute("readonly")).isNotNull();
    assertThat(byId("show-once-key").getCssValue("font-family")).containsIgnoringCase("mono");
    click("show-once-copy");
    wait.until(d -> text("show-once-copy").equals("Copied"));
    chromium.screenshot("show-once.png");
    wait.until(d -> text("show-once-copy").equals("Copy")); // after two seconds
    assertNothingStored();
    assertThat(driver.getCurrentUrl()).doesNotContain(key).doesNotContain("kg_live");
    closeShowOnce();
    assertThat(byId("show-once-key").getDomProperty("value")).isEmpty(); // dropped when the dialog closed
    waitNotice("Key created.");

    String id = client.get("/api/v1/me", key).json().path("key_id").asText();
    Reply stored = client.get("/api/v1/keys/" + id, bootstrapKey);
    assertThat(stored.json().path("scopes").toString()).isEqualTo("[\"datasets.read\"]");
    assertThat(stored.json().path("environment").asText()).isEqualTo("live");
    assertThat(stored.json().path("allowed_ips").toString()).isEqualTo("[\"127.0.0.1\",\"::1/128\"]");
    assertThat(stored.json().path("rate_limit").toString()).isEqualTo("{\"requests\":600,\"period_seconds\":60}");
    assertThat(stored.json().path("expires_at").asText()).startsWith(in30Days.substring(0, 4));
    WebElement row = row(id);
    assertThat(cell(row, "name")).isEqualTo("ci_deploy");
    assertThat(cell(row, "scopes")).isEqualTo("datasets.read");
    assertThat(cell(row, "environment")).isEqualTo("live");
    assertThat(cell(row, "status")).isEqualTo("Active");
    assertThat(cell(row, "expires")).isIn("in 29 days", "in 30 days");
    assertThat(row.findElement(By.cssSelector("[data-test=expires] span")).getDomAttribute("title"))
        .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC"); // the date, in a tooltip
    assertThat(cell(row, "last-used")).isEqualTo("Never");
    assertThat(cell(row, "usage")).isEqualTo("0");
    assertThat(cell(row, "hint")).startsWith("kg_live_").endsWith("…");
    assertThat(key).startsWith(cell(row, "hint").replace("…", ""));

    // the key works over HTTP within its scope, and only there
    assertThat(client.get("/api/v1/datasets", key).status()).isEqualTo(200);
    assertThat(client.post("/api/v1/datasets", key, "{}").status()).isEqualTo(403);
    assertThat(client.get("/api/v1/datasets", key).status()).isEqualTo(200);
    wait.until(d -> {
      click("refresh");
      waitIdle("refresh");
      return Long.parseLong(cell(row(id), "usage").replace(",", "")) >= 2;
    });
    assertThat(cell(row(id), "last-used")).isNotEqualTo("Never");
    chromium.screenshot("list.png");

    // regenerate: a new secret, shown once; the old one stops at once
    rowButton(id, "regenerate").click();
    waitOpen("regenerate-dialog");
    assertThat(text("regenerate-name")).isEqualTo("ci_deploy");
    assertThat(byId("regenerate-dialog").getText()).contains("stops working at once");
    new Select(byId("regenerate-grace")).selectByValue("0");
    chromium.screenshot("regenerate.png");
    click("regenerate-submit");
    waitOpen("show-once-dialog");
    String rotated = byId("show-once-key").getDomProperty("value");
    assertThat(rotated).startsWith("kg_live_").isNotEqualTo(key);
    closeShowOnce();
    assertThat(client.get("/api/v1/datasets", key).status()).isEqualTo(401);
    assertThat(client.get("/api/v1/datasets", rotated).status()).isEqualTo(200);

    // revoke: permanent, with a red "Revoke key" button
    rowButton(id, "revoke").click();
    waitOpen("revoke-dialog");
    assertThat(text("revoke-name")).isEqualTo("ci_deploy");
    assertThat(byId("revoke-dialog").getText()).contains("permanent").contains("cannot be undone");
    assertThat(text("revoke-submit")).isEqualTo("Revoke key");
    assertThat(byId("revoke-submit").getCssValue("background-color")).isEqualTo("rgba(180, 35, 24, 1)");
    chromium.screenshot("revoke.png");
    click("revoke-submit");
    waitClosed("revoke-dialog");
    waitNotice("Key revoked.");
    Reply refused = client.get("/api/v1/datasets", rotated);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.text("detail")).isEqualTo("API key has been revoked.");
    wait.until(d -> cell(row(id), "status").equals("Revoked"));
    assertThat(row(id).findElements(By.cssSelector("[data-test=regenerate], [data-test=revoke]"))).isEmpty();

    // delete: offered now, and the record goes
    rowButton(id, "delete").click();
    waitOpen("delete-dialog");
    assertThat(byId("delete-dialog").getText()).contains("usage history");
    click("delete-submit");
    waitClosed("delete-dialog");
    waitNotice("Key deleted.");
    wait.until(d -> d.findElements(rowBy(id)).isEmpty());
    assertThat(client.get("/api/v1/keys/" + id, bootstrapKey).status()).isEqualTo(404);
    assertNothingStored();
  }

  @Test
  void addressesAreCheckedAsTypedAndTheApiRefusalAppearsBesideTheFieldItNames() throws Exception {
    open();
    signIn(bootstrapKey);
    click("create-key");
    waitOpen("create-dialog");
    type("create-name", "addresses");
    scopeBox("datasets.read").click();
    type("create-allowed-ips", "10.0.0.0/8\n10.0.0.300\n2001:db8::/32");
    wait.until(d -> byId("create-allowed-ips-error").isDisplayed());
    assertThat(text("create-allowed-ips-error")).isEqualTo("Line 2 (\"10.0.0.300\") is not an IPv4 or IPv6 address.");
    byId("create-allowed-ips").clear();
    type("create-allowed-ips", "10.0.0.0/8\n2001:db8::/129");
    wait.until(d -> text("create-allowed-ips-error").equals("Line 2 (\"2001:db8::/129\") has a range size that is not 0 to 128."));
    byId("create-allowed-ips").clear();
    type("create-allowed-ips", "10.0.0.0/8\n2001:db8::/32\n::ffff:192.0.2.1\n\n192.0.2.7");
    wait.until(d -> !byId("create-allowed-ips-error").isDisplayed());
    // a line more than the API takes: its refusal goes beside the field
    byId("create-allowed-ips").clear();
    type("create-allowed-ips", String.join("\n", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "192.0.2." + i).toList()));
    assertThat(byId("create-allowed-ips-error").isDisplayed()).isFalse();
    click("create-submit");
    wait.until(d -> byId("create-allowed-ips-error").isDisplayed());
    assertThat(text("create-allowed-ips-error")).isEqualTo("At most 100 entries.");
    assertThat(byId("create-dialog").getDomAttribute("open")).isNotNull();
    assertThat(activeId()).isEqualTo("create-allowed-ips");
    assertThat(byId("create-allowed-ips").getDomAttribute("aria-invalid")).isEqualTo("true");
    click("create-cancel");
    waitClosed("create-dialog");
  }

  @Test
  void aKeyNamedLikeHtmlShowsAsText() throws Exception {
    String name = "<img src=x onerror=alert(1)>";
    open();
    signIn(bootstrapKey);
    click("create-key");
    waitOpen("create-dialog");
    type("create-name", name);
    scopeBox("tasks.read").click();
    click("create-submit");
    waitOpen("show-once-dialog");
    assertThat(text("show-once-name")).isEqualTo(name);
    String key = byId("show-once-key").getDomProperty("value");
    closeShowOnce();
    String id = client.get("/api/v1/me", key).json().path("key_id").asText();

    assertThat(cell(row(id), "name")).isEqualTo(name);
    rowButton(id, "revoke").click();
    waitOpen("revoke-dialog");
    assertThat(text("revoke-name")).isEqualTo(name);
    new Actions(driver).moveToLocation(5, 5).click().perform(); // outside the dialog
    waitClosed("revoke-dialog");
    wait.until(d -> "revoke".equals(d.switchTo().activeElement().getDomAttribute("data-test"))); // back to its opener
    assertThat(client.get("/api/v1/me", key).status()).isEqualTo(200); // not revoked

    assertThat(driver.findElements(By.cssSelector("img"))).isEmpty();
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    assertThat(driver.findElement(By.id("keys-body")).getDomProperty("innerHTML"))
        .contains("&lt;img src=x onerror=alert(1)&gt;");
  }

  @Test
  void aWrongKeyAndAKeyThatCannotManageKeysAreRefusedUnderTheField() throws Exception {
    open();
    type("management-key", "kg_live_" + "A".repeat(48));
    click("sign-in-submit");
    wait.until(d -> byId("management-key-error").isDisplayed());
    assertThat(text("management-key-error")).isEqualTo("This key was not accepted: Invalid API key.");
    assertThat(activeId()).isEqualTo("management-key");
    assertThat(byId("management-key").getDomAttribute("aria-invalid")).isEqualTo("true");
    assertThat(byId("keys-view").isDisplayed()).isFalse();

    String reader = createKey(bootstrapKey, "{\"name\":\"reader\",\"scopes\":[\"datasets.read\"]}");
    byId("management-key").clear();
    type("management-key", reader);
    click("toggle-key-visibility");
    assertThat(byId("management-key").getDomProperty("type")).isEqualTo("text");
    assertThat(byId("toggle-key-visibility").getDomAttribute("aria-pressed")).isEqualTo("true");
    click("toggle-key-visibility");
    assertThat(byId("management-key").getDomProperty("type")).isEqualTo("password");
    click("sign-in-submit");
    wait.until(d -> text("management-key-error").equals("This key cannot manage keys."));
    assertThat(activeId()).isEqualTo("management-key");
    chromium.screenshot("sign-in-refused.png");
    assertNothingStored();
  }

  @Test
  void aCallerIsNotOfferedWhatItCannotGrantAndTheApiRefusalIsShown() throws Exception {
    String admin = signup();
    // a manager holding datasets.write, and a narrower one that may not give it
    String wide = createKey(admin, "{\"name\":\"wide\",\"scopes\":[\"keys.admin\",\"datasets.read\",\"datasets.write\"]}");
    String wideId = client.get("/api/v1/me", wide).json().path("key_id").asText();
    String narrow = createKey(admin, "{\"name\":\"narrow\",\"scopes\":[\"keys.admin\",\"datasets.read\"]}");
    String adminId = client.get("/api/v1/me", admin).json().path("key_id").asText();

    open();
    signIn(narrow);
    click("create-key");
    waitOpen("create-dialog");
    assertThat(byId("create-full-access-row").isDisplayed()).isFalse();
    assertThat(driver.findElements(By.cssSelector("[data-test=scope-checkbox]")))
        .extracting(e -> e.getDomAttribute("data-scope")).containsExactlyInAnyOrder("datasets.read", "keys.admin");
    type("create-name", "no_scopes");
    click("create-submit");
    wait.until(d -> byId("create-scopes-error").isDisplayed());
    assertThat(text("create-scopes-error")).isEqualTo("Choose at least one scope.");
    click("create-cancel");
    waitClosed("create-dialog");

    // a new secret for a key holding datasets.write would hand the narrow caller that scope
    rowButton(wideId, "regenerate").click();
    waitOpen("regenerate-dialog");
    click("regenerate-submit");
    wait.until(d -> byId("regenerate-error").isDisplayed());
    assertThat(text("regenerate-error")).isEqualTo("You cannot grant scopes you do not hold: datasets.write");
    assertThat(byId("regenerate-dialog").getDomAttribute("open")).isNotNull(); // the dialog stays open
    chromium.screenshot("escalation-refused.png");
    click("regenerate-cancel");
    waitClosed("regenerate-dialog");

    // nor full access
    rowButton(adminId, "regenerate").click();
    waitOpen("regenerate-dialog");
    click("regenerate-submit");
    wait.until(d -> text("regenerate-error").startsWith("You cannot grant full access"));
    click("regenerate-cancel");
    assertThat(client.get("/api/v1/datasets", wide).status()).isEqualTo(200); // neither was rotated
    assertThat(client.get("/api/v1/me", admin).status()).isEqualTo(200);
  }

  @Test
  void aKeyCanBeCreatedWithTheKeyboardAlone() throws Exception {
    open();
    assertThat(activeId()).isEqualTo("management-key");
    keys(bootstrapKey, Keys.ENTER);
    wait.until(d -> byId("keys-view").isDisplayed() && !text("key-count").isEmpty());

    tabTo("create-key");
    keys(Keys.ENTER);
    waitOpen("create-dialog");
    wait.until(d -> activeId().equals("create-name"));
    keys(Keys.ESCAPE); // closes, and the focus goes back to the button that opened it
    waitClosed("create-dialog");
    wait.until(d -> activeId().equals("create-key"));

    keys(Keys.ENTER);
    waitOpen("create-dialog");
    wait.until(d -> activeId().equals("create-name"));
    keys("keyboard_only");
    tabTo("create-full-access");
    keys(Keys.TAB); // the first scope
    assertThat(driver.switchTo().activeElement().getDomAttribute("data-scope")).isEqualTo("datasets.read");
    keys(Keys.SPACE);
    tabTo("create-submit");
    keys(Keys.ENTER);

    waitOpen("show-once-dialog");
    String key = byId("show-once-key").getDomProperty("value");
    keys(Keys.ESCAPE); // asks first
    wait.until(d -> byId("show-once-confirm").isDisplayed());
    assertThat(text("show-once-confirm-question")).startsWith("Have you saved the key?");
    assertThat(byId("show-once-dialog").getDomAttribute("open")).isNotNull();
    assertThat(activeId()).isEqualTo("show-once-confirm-yes");
    keys(Keys.ENTER);
    waitClosed("show-once-dialog");
    wait.until(d -> activeId().equals("create-key"));

    assertThat(client.get("/api/v1/datasets", key).status()).isEqualTo(200);
    String id = client.get("/api/v1/me", key).json().path("key_id").asText();
    assertThat(cell(row(id), "name")).isEqualTo("keyboard_only");
    assertThat(cell(row(id), "scopes")).isEqualTo("datasets.read");
  }

  @Test
  void theListAndTheFormAreReadableAt360Pixels() throws Exception {
    open();
    signIn(bootstrapKey);
    chromium.narrow(360, 800);
    wait.until(d -> ((Number) driver.executeScript("return window.innerWidth")).intValue() == 360);
    assertThat(horizontalOverflow()).isFalse();
    WebElement firstRow = driver.findElement(By.cssSelector("tr[data-test=key-row]"));
    assertThat(firstRow.getCssValue("display")).isEqualTo("block"); // one card per key
    assertThat(firstRow.getRect().getWidth()).isLessThanOrEqualTo(360);
    chromium.screenshot("list-narrow.png");

    click("create-key");
    WebElement dialog = waitOpen("create-dialog");
    assertThat(dialog.getRect().getWidth()).isLessThanOrEqualTo(360);
    assertThat(horizontalOverflow()).isFalse();
    chromium.screenshot("create-form-narrow.png");
    keys(Keys.ESCAPE);
    waitClosed("create-dialog");
  }

  @Test
  void filtersCountsPagingAndExpiresSoon() throws Exception {
    String admin = signup();
    for (int i = 0; i < 50; i++) {
      createKey(admin, "{\"name\":\"bulk_" + i + "\",\"scopes\":[\"tasks.read\"],\"environment\":\"test\"}");
    }
    String soonExpiry = java.time.Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    String soon = createKey(admin, "{\"name\":\"soon\",\"scopes\":[\"tasks.read\"],\"environment\":\"live\",\"expires_at\":\""
        + soonExpiry + "\"}");
    String soonId = client.get("/api/v1/me", soon).json().path("key_id").asText();
    String gone = createKey(admin, "{\"name\":\"gone\",\"scopes\":[\"tasks.read\"]}");
    String goneId = client.get("/api/v1/me", gone).json().path("key_id").asText();
    assertThat(client.post("/api/v1/keys/" + goneId + "/revoke", admin, null).status()).isEqualTo(200);

    open();
    signIn(admin);
    assertThat(text("key-count")).isEqualTo("53 keys");
    assertThat(rows()).hasSize(50);
    assertThat(byId("paging").isDisplayed()).isTrue();
    assertThat(text("page-info")).isEqualTo("1–50 of 53");
    assertThat(byId("page-prev").isEnabled()).isFalse();
    click("page-next");
    wait.until(d -> text("page-info").equals("51–53 of 53"));
    assertThat(rows()).hasSize(3);
    click("page-prev");
    wait.until(d -> text("page-info").equals("1–50 of 53"));

    // keys created in the same second have no set order: each is found through a filter
    new Select(byId("filter-status")).selectByValue("revoked");
    wait.until(d -> text("key-count").equals("1 key"));
    assertThat(rows()).extracting(r -> r.getDomAttribute("data-key-id")).containsExactly(goneId);
    assertThat(cell(row(goneId), "status")).isEqualTo("Revoked");
    assertThat(row(goneId).findElements(By.cssSelector("button"))).extracting(WebElement::getText).containsExactly("Delete");
    assertThat(byId("paging").isDisplayed()).isFalse();

    new Select(byId("filter-status")).selectByValue("");
    // live: the signup's key, the revoked one (live when none is given) and this one
    new Select(byId("filter-environment")).selectByValue("live");
    wait.until(d -> text("key-count").equals("3 keys"));
    WebElement soonRow = row(soonId);
    assertThat(soonRow.findElement(By.cssSelector("[data-test=status-badge]")).getText()).isEqualTo("Active");
    assertThat(soonRow.findElement(By.cssSelector("[data-test=expires-soon]")).getText()).isEqualTo("Expires soon");
    assertThat(cell(soonRow, "expires")).isIn("in 2 days", "in 3 days");
    assertThat(soonRow.findElements(By.cssSelector("button"))).extracting(WebElement::getText)
        .containsExactly("Regenerate", "Revoke");

    new Select(byId("filter-environment")).selectByValue("test");
    wait.until(d -> text("key-count").equals("50 keys"));
    assertThat(rows()).hasSize(50).allMatch(r -> cell(r, "environment").equals("test"));
    assertThat(byId("paging").isDisplayed()).isFalse();

    new Select(byId("filter-status")).selectByValue("revoked");
    wait.until(d -> byId("no-match").isDisplayed());
    assertThat(text("key-count")).isEqualTo("0 keys");
  }

  @Test
  void aKeyRevokedBecauseItLeakedAndAKeyMarkedCompromisedAreShownAsSuch() throws Exception {
    String admin = signup();
    String leaked = createKey(admin, "{\"name\":\"leaked\",\"scopes\":[\"tasks.read\"]}");
    String leakedId = client.get("/api/v1/me", leaked).json().path("key_id").asText();
    String marked = createKey(admin, "{\"name\":\"marked\",\"scopes\":[\"tasks.read\"]}");
    String markedId = client.get("/api/v1/me", marked).json().path("key_id").asText();
    String url = "https://github.com/octocat/hello/blob/abc123/config.env";
    // what the leak-report route does once GitHub's signature is checked (LeakReportsContract tests the route)
    assertThat(app.service().reportLeaks(List.of(new ReportedLeak(leaked, url, "content")), LeakPolicy.REVOKE, 10))
        .singleElement().extracting(LeakOutcome::verdict).isEqualTo(LeakOutcome.Verdict.REVOKED);
    assertThat(app.service().reportLeaks(List.of(new ReportedLeak(marked, url, "commit")), LeakPolicy.MARK, 10))
        .singleElement().extracting(LeakOutcome::verdict).isEqualTo(LeakOutcome.Verdict.MARKED);
    assertThat(client.get("/api/v1/me", leaked).status()).as("revoked at once").isEqualTo(401);
    assertThat(client.get("/api/v1/me", marked).status()).as("marked, still working").isEqualTo(200);

    open();
    signIn(admin);
    WebElement leakedRow = row(leakedId);
    assertThat(leakedRow.findElement(By.cssSelector("[data-test=status-badge]")).getText()).isEqualTo("Revoked");
    assertThat(leakedRow.findElement(By.cssSelector("[data-test=leaked-badge]")).getText()).isEqualTo("Leaked");
    WebElement note = leakedRow.findElement(By.cssSelector("[data-test=leak-note]"));
    assertThat(note.getText()).startsWith("Revoked: leaked (reported by GitHub secret scanning").contains("Found at " + url);
    assertThat(note.findElements(By.cssSelector("a"))).as("the reported URL is text, never a link").isEmpty();
    assertThat(leakedRow.findElements(By.cssSelector("[data-test=compromised-badge]"))).isEmpty();

    WebElement markedRow = row(markedId);
    assertThat(markedRow.findElement(By.cssSelector("[data-test=status-badge]")).getText()).isEqualTo("Active");
    assertThat(markedRow.findElement(By.cssSelector("[data-test=compromised-badge]")).getText()).isEqualTo("Compromised");
    assertThat(markedRow.findElement(By.cssSelector("[data-test=leak-note]")).getText()).contains("it still works");
    assertThat(markedRow.findElements(By.cssSelector("[data-test=leaked-badge]"))).isEmpty();
    chromium.screenshot("leaked.png");
  }

  @Test
  void aSessionThatEndsReturnsToSignIn() throws Exception {
    String admin = signup();
    String manager = createKey(admin, "{\"name\":\"manager\",\"scopes\":[\"keys.admin\"]}");
    String managerId = client.get("/api/v1/me", manager).json().path("key_id").asText();
    open();
    signIn(manager);
    assertThat(client.post("/api/v1/keys/" + managerId + "/revoke", admin, null).status()).isEqualTo(200);
    click("refresh");
    wait.until(d -> byId("sign-in-view").isDisplayed());
    assertThat(text("session-ended")).isEqualTo("Your session ended; sign in again.");
    assertThat(byId("keys-body").findElements(By.tagName("tr"))).isEmpty(); // nothing of the session is left
    assertThat(text("org-name")).isEmpty();
    assertThat(activeId()).isEqualTo("management-key");
  }

  @Test
  void aThrottledCallSaysWhenToRetry() throws Exception {
    String admin = signup();
    // signing in takes four calls (session, scopes, environments, keys): the fifth is refused
    String limited = createKey(admin,
        "{\"name\":\"limited\",\"scopes\":[\"keys.admin\"],\"rate_limit\":{\"requests\":4,\"period_seconds\":3600}}");
    open();
    signIn(limited);
    click("refresh");
    wait.until(d -> byId("error-banner").isDisplayed());
    assertThat(text("error-banner")).matches("The keys could not be loaded\\. Too many requests\\. Try again in \\d+ seconds?\\.");
  }

  @Test
  void signOutForgetsTheKey() throws Exception {
    open();
    signIn(bootstrapKey);
    click("sign-out");
    wait.until(d -> byId("sign-in-view").isDisplayed());
    assertThat(byId("management-key").getDomProperty("value")).isEmpty();
    assertThat(byId("keys-body").findElements(By.tagName("tr"))).isEmpty();
    assertThat(byId("sign-out").isDisplayed()).isFalse();
    assertNothingStored();
  }

  // ------------------------------------------------------------------ helpers

  /** The red team's finding: regenerating the key the tab signed in with used to lose the new secret. */
  @Test
  void regeneratingTheKeyThisTabSignedInWithShowsItsNewSecretAndStaysSignedIn() throws Exception {
    String admin = signup();
    String id = client.get("/api/v1/me", admin).json().path("key_id").asText();
    open();
    signIn(admin);
    for (String grace : new String[] {"3600", "0"}) {
      rowButton(id, "regenerate").click();
      waitOpen("regenerate-dialog");
      new Select(byId("regenerate-grace")).selectByValue(grace);
      click("regenerate-submit");
      waitOpen("show-once-dialog");
      String rotated = byId("show-once-key").getDomProperty("value");
      assertThat(rotated).as("shown once, not lost to a refresh with the old secret").startsWith("kg_live_" + id);
      closeShowOnce();
      waitNotice("Key regenerated.");
      assertThat(text("notice")).contains("this page now uses its new secret");
      assertThat(byId("keys-view").isDisplayed()).as("still signed in").isTrue();
      click("refresh");
      waitIdle("refresh");
      assertThat(byId("keys-view").isDisplayed()).isTrue();
      assertThat(client.get("/api/v1/keys", rotated).status()).isEqualTo(200);
      Reply old = client.get("/api/v1/keys", admin);
      assertThat(old.status()).as("the previous secret never manages keys, in its grace period or after")
          .isIn(401, 403);
      admin = rotated;
    }
    assertNothingStored();
  }

  private static void open() {
    driver.get("http://127.0.0.1:" + app.port() + "/console/");
    wait.until(d -> byId("sign-in-view").isDisplayed());
    wait.until(d -> activeId().equals("management-key"));
  }

  private static void signIn(String key) {
    type("management-key", key);
    click("sign-in-submit");
    wait.until(d -> byId("keys-view").isDisplayed() && !text("key-count").isEmpty());
    assertThat(byId("management-key").getDomProperty("value")).isEmpty(); // not left in the page
  }

  private static String signup() throws Exception {
    String org = "browser-" + ORGS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    Reply r = client.post("/api/v1/signup", null, "{\"organization\":\"" + org + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.text("key");
  }

  private static String createKey(String admin, String body) throws Exception {
    Reply r = client.post("/api/v1/keys", admin, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.text("key");
  }

  private static WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  private static String text(String id) {
    return byId(id).getText();
  }

  private static void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  private static void type(String id, String value) {
    byId(id).sendKeys(value);
  }

  private static void keys(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  private static String activeId() {
    String id = driver.switchTo().activeElement().getDomAttribute("id");
    return id == null ? "" : id;
  }

  /** Presses Tab until the element with this id has the focus (at most 40 times). */
  private static void tabTo(String id) {
    for (int i = 0; i < 40 && !activeId().equals(id); i++) {
      keys(Keys.TAB);
    }
    assertThat(activeId()).isEqualTo(id);
  }

  private static WebElement waitOpen(String dialogId) {
    return wait.until(d -> {
      WebElement dialog = byId(dialogId);
      return dialog.getDomAttribute("open") != null && dialog.isDisplayed() ? dialog : null;
    });
  }

  private static void waitClosed(String dialogId) {
    wait.until(d -> byId(dialogId).getDomAttribute("open") == null);
  }

  private static void waitIdle(String buttonId) {
    wait.until(d -> byId(buttonId).isEnabled() && !text(buttonId).equals("Working…"));
  }

  private static void waitNotice(String notice) {
    wait.until(d -> text("notice").startsWith(notice));
  }

  private static void closeShowOnce() {
    click("show-once-close");
    wait.until(d -> byId("show-once-confirm").isDisplayed());
    assertThat(text("show-once-confirm-question")).startsWith("Have you saved the key?");
    click("show-once-confirm-yes");
    waitClosed("show-once-dialog");
  }

  private static WebElement scopeBox(String scope) {
    return driver.findElement(By.cssSelector("[data-test=scope-checkbox][data-scope='" + scope + "']"));
  }

  private static By rowBy(String id) {
    return By.cssSelector("tr[data-test=key-row][data-key-id='" + id + "']");
  }

  private static WebElement row(String id) {
    return wait.until(d -> d.findElements(rowBy(id)).stream().findFirst().orElse(null));
  }

  private static List<WebElement> rows() {
    return driver.findElements(By.cssSelector("tr[data-test=key-row]"));
  }

  private static String cell(WebElement row, String test) {
    return row.findElement(By.cssSelector("td[data-test=" + test + "]")).getText().replace('\n', ' ').trim();
  }

  private static WebElement rowButton(String id, String action) {
    return wait.until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("tr[data-key-id='" + id + "'] button[data-test=" + action + "]")));
  }

  private static boolean horizontalOverflow() {
    return (Boolean) driver.executeScript(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
  }

  /** No key (nor anything else) in web storage or cookies. */
  private static void assertNothingStored() {
    assertThat((Long) driver.executeScript("return window.localStorage.length")).isZero();
    assertThat((Long) driver.executeScript("return window.sessionStorage.length")).isZero();
    assertThat((String) driver.executeScript("return document.cookie")).isEmpty();
    assertThat(driver.manage().getCookies()).isEmpty();
  }
}
