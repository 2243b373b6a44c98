package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code .env} lines the client filter understands. */
class DotEnvFileTest {
  @Test
  void readsPlainExportedAndQuotedValues() {
    assertThat(DotEnvFile.value(List.of("K=v1"), "K")).isEqualTo("v1");
    assertThat(DotEnvFile.value(List.of("export K=v2"), "K")).isEqualTo("v2");
    assertThat(DotEnvFile.value(List.of("  K = \"v3\"  "), "K")).isEqualTo("v3");
    assertThat(DotEnvFile.value(List.of("K='v4'"), "K")).isEqualTo("v4");
    assertThat(DotEnvFile.value(List.of("K=v5 # the key"), "K")).isEqualTo("v5");
  }

  @Test
  void skipsCommentsBlankLinesAndOtherNames() {
    List<String> lines = List.of("# K=commented", "", "   ", "KEY=other", "K2=other", "K");
    assertThat(DotEnvFile.value(lines, "K")).isNull();
  }

  @Test
  void laterLinesWin() {
    assertThat(DotEnvFile.value(List.of("K=first", "K=second"), "K")).isEqualTo("second");
  }

  @Test
  void keepsAnEmptyValueEmpty() {
    assertThat(DotEnvFile.value(List.of("K="), "K")).isEmpty();
    assertThat(DotEnvFile.value(List.of("K=\"\""), "K")).isEmpty();
  }

  @Test
  void unquotesOnlyMatchingQuotesAndReadsCommentsOnlyOutsideThem() {
    assertThat(DotEnvFile.value(List.of("K=abca"), "K")).as("not quotes").isEqualTo("abca");
    assertThat(DotEnvFile.value(List.of("K=\"v6'"), "K")).isEqualTo("\"v6'");
    assertThat(DotEnvFile.value(List.of("K='v7\""), "K")).isEqualTo("'v7\"");
    assertThat(DotEnvFile.value(List.of("K=\""), "K")).isEqualTo("\"");
    assertThat(DotEnvFile.value(List.of("K=\"a #b\""), "K")).isEqualTo("a #b");
  }

  @Test
  void aCommentOrALineWithoutANameSetsNothing() {
    assertThat(DotEnvFile.value(List.of("#K=commented"), "#K")).isNull();
    assertThat(DotEnvFile.value(List.of("=v"), "")).isNull();
  }
}
