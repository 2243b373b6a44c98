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
}
