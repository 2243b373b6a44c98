package dev.keygate.sample;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that drives headless Chromium: tagged "browser", which {@code -DskipBrowserTests}
 * excludes (samples/pom.xml). Without that property the tests run and fail when Chromium is missing.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
@interface BrowserTest {}
