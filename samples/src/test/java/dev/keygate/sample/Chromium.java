package dev.keygate.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven through Debian's chromedriver: both found on this machine (never downloaded;
 * giving the driver's path keeps Selenium Manager out), a fresh profile under target/, a 1280x900 window.
 * A missing browser or driver fails the test with the command that installs them.
 */
final class Chromium implements AutoCloseable {
  static final Path TARGET = Path.of(System.getProperty("keygate.test.dir", "target"));
  static final Path SCREENSHOTS = TARGET.resolve("screenshots");

  private final ChromeDriver driver;
  private final ChromeDriverService service;

  private Chromium(ChromeDriver driver, ChromeDriverService service) {
    this.driver = driver;
    this.service = service;
  }

  /** Starts headless Chromium; fails (never skips) when chromium or chromedriver is missing. */
  static Chromium start() {
    File driverFile = executable("chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    File browserFile = executable("chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium");
    Path profile = TARGET.resolve("chromium-profiles").resolve(UUID.randomUUID().toString());
    try {
      Files.createDirectories(profile);
      Files.createDirectories(SCREENSHOTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driverFile)
        .usingAnyFreePort()
        .withLogFile(TARGET.resolve("chromedriver.log").toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browserFile);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
        "--disable-background-networking", "--disable-component-update", "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=1280,900", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return new Chromium(driver, service);
  }

  private static File executable(String name, String... usual) {
    List<Path> candidates = new ArrayList<>();
    for (String path : usual) {
      candidates.add(Path.of(path));
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, name));
      }
    }
    return candidates.stream().filter(Files::isRegularFile).filter(Files::isExecutable).findFirst()
        .map(Path::toFile)
        .orElseThrow(() -> new IllegalStateException(name + " is not installed, and the browser tests need it: run "
            + "samples/src/test/sh/ensure-chromium.sh (apt-get install -y chromium chromium-driver), or build "
            + "without the browser tests: mvn -B verify -DskipBrowserTests"));
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Saves a PNG of the viewport as target/screenshots/{name}. */
  Path screenshot(String name) {
    Path file = SCREENSHOTS.resolve(name);
    try {
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Emulates a phone-sized viewport ({@code width} CSS pixels) until {@link #fullSize()}. */
  void narrow(int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
  }

  /** Back to the 1280x900 window. */
  void fullSize() {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /** The browser console's messages since the last call. */
  List<String> consoleMessages() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
