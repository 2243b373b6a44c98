package dev.keygate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The READMEs show the code this module compiles and tests, and the check says so when not. */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of(System.getProperty("keygate.root", ".."));

  @Test
  void everyReadmeJavaBlockIsTheRegionItNames() {
    ReadmeSnippets.requireNoProblems(ROOT);
  }

  @Test
  void aBlockEditedAloneIsReportedWithItsLineAndTheCommandThatFixesIt(@TempDir Path root) throws IOException {
    source(root, "  // tag::hello[]\n  int answer = 42;\n  // end::hello[]\n");
    readme(root, "# x\n\n<!-- snippet: hello -->\n```java\nint answer = 41;\n```\n");

    List<String> problems = new ReadmeSnippets(root).check();

    assertThat(problems).singleElement().asString()
        .startsWith("README.md:5: the block under <!-- snippet: hello --> differs from docs/src/main/java/A.java lines 2-2")
        .contains("README has `int answer = 41;`, the source has `int answer = 42;`")
        .contains(ReadmeSnippets.WRITE_COMMAND);
  }

  @Test
  void writeCopiesTheSourceIntoTheReadmeKeepingTheBlocksIndentation(@TempDir Path root) throws IOException {
    source(root, "class A {\n  // tag::hello[]\n  void run() {\n    go();\n  }\n  // end::hello[]\n}\n");
    readme(root, "1. step\n\n   <!-- snippet: hello -->\n   ```java\n   old();\n   ```\n\nafter\n");

    assertThat(new ReadmeSnippets(root).write()).containsExactly("README.md");

    assertThat(Files.readString(root.resolve("README.md")))
        .isEqualTo("1. step\n\n   <!-- snippet: hello -->\n   ```java\n   void run() {\n     go();\n   }\n   ```\n\nafter\n");
    assertThat(new ReadmeSnippets(root).check()).isEmpty();
  }

  @Test
  void whiteSpaceAloneIsNoDrift(@TempDir Path root) throws IOException {
    source(root, "    // tag::hello[]\n    call(a,  b);   // why\n    // end::hello[]\n");
    readme(root, "<!-- snippet: hello -->\n```java\n\ncall(a, b); // why\n\n```\n");

    assertThat(new ReadmeSnippets(root).check()).isEmpty();
  }

  @Test
  void aMarkerWithoutARegionAndAJavaBlockWithoutAMarkerAreReported(@TempDir Path root) throws IOException {
    source(root, "// tag::hello[]\nx();\n// end::hello[]\n");
    readme(root, "<!-- snippet: hello -->\n```java\nx();\n```\n<!-- snippet: helo -->\n```java\nx();\n```\n"
        + "```java\ny();\n```\n```bash\nls\n```\n");

    List<String> problems = new ReadmeSnippets(root).check();

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("README.md:5: <!-- snippet: helo --> names no region")
        .contains("[hello]");
    assertThat(problems.get(1)).startsWith("README.md:9: a Java block without <!-- snippet: NAME -->");
  }

  @Test
  void aRegionNoReadmeShowsAndAnUnclosedRegionAreReported(@TempDir Path root) throws IOException {
    source(root, "// tag::shown[]\nx();\n// end::shown[]\n// tag::unused[]\ny();\n// end::unused[]\n// tag::open[]\n");
    readme(root, "<!-- snippet: shown -->\n```java\nx();\n```\n");

    assertThat(new ReadmeSnippets(root).check()).containsExactlyInAnyOrder(
        "docs/src/main/java/A.java:7: tag::open[] is never closed with end::open[]",
        "docs/src/main/java/A.java lines 5-5: region unused is shown in no README; add"
            + " <!-- snippet: unused --> before a code block, or remove the region.");
  }

  private static void source(Path root, String text) throws IOException {
    Path file = root.resolve("docs/src/main/java/A.java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void readme(Path root, String text) throws IOException {
    Files.writeString(root.resolve("README.md"), text);
  }
}
