package dev.keygate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutationGateTest {
  @TempDir
  Path dir;

  private Path report(String... mutations) throws Exception {
    Path p = dir.resolve("mutations.xml");
    Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mutations partial=\"false\">"
        + String.join("", mutations) + "</mutations>");
    return p;
  }

  private static String mutation(String cls, String method, int line, String status) {
    boolean detected = status.equals("KILLED") || status.equals("TIMED_OUT");
    return "<mutation detected='" + detected + "' status='" + status + "' numberOfTestsRun='1'>"
        + "<sourceFile>X.java</sourceFile><mutatedClass>" + cls + "</mutatedClass><mutatedMethod>" + method
        + "</mutatedMethod><methodDescription>()V</methodDescription><lineNumber>" + line + "</lineNumber>"
        + "<mutator>org.pitest.mutationtest.engine.gregor.mutators.VoidMethodCallMutator</mutator>"
        + "<indexes><index>1</index></indexes><blocks><block>1</block></blocks><killingTest/>"
        + "<description>removed call to a/B::c</description></mutation>";
  }

  private Path accepted(String... lines) throws Exception {
    return Files.write(dir.resolve("accepted.txt"), List.of(lines));
  }

  private void gate(Path report, Path accepted, String... classes) throws Exception {
    String[] args = new String[classes.length + 2];
    args[0] = report.toString();
    args[1] = accepted.toString();
    System.arraycopy(classes, 0, args, 2, classes.length);
    MutationGate.main(args);
  }

  @Test
  void passesWhenEveryMutantOfTheNamedClassesIsDetected() throws Exception {
    gate(report(mutation("a.Decider", "m", 3, "KILLED"), mutation("a.Decider$Inner", "m", 4, "TIMED_OUT"),
        mutation("a.Other", "m", 5, "SURVIVED")), accepted(), "a.Decider");
  }

  @Test
  void failsOnASurvivorOrAnUncoveredMutantInANamedOrNestedClass() throws Exception {
    Path r = report(mutation("a.Decider", "m", 3, "SURVIVED"), mutation("a.Decider$Inner", "n", 4, "NO_COVERAGE"),
        mutation("a.DeciderX", "m", 5, "SURVIVED"));
    assertThatThrownBy(() -> gate(r, accepted(), "a.Decider")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SURVIVED: a.Decider#m:3 VoidMethodCallMutator removed call to a/B::c")
        .hasMessageContaining("NO_COVERAGE: a.Decider$Inner#n:4 VoidMethodCallMutator removed call to a/B::c")
        .hasMessageNotContaining("DeciderX");
  }

  @Test
  void acceptsAListedSurvivorWithItsReasonAndToleratesAStaleEntry() throws Exception {
    Path r = report(mutation("a.Decider", "m", 3, "SURVIVED"));
    gate(r, accepted("# equivalent: the call only logs", "a.Decider#m:3 VoidMethodCallMutator removed call to a/B::c"),
        "a.Decider");
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      gate(r, accepted("# was equivalent", "a.Decider#m:3 VoidMethodCallMutator removed call to a/B::c",
          "a.Decider#m:9 VoidMethodCallMutator removed call to a/B::c"), "a.Decider");
    } finally {
      System.setOut(out);
    }
    assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("listed but not surviving this time (remove it if the code changed): a.Decider#m:9");
  }

  @Test
  void everyAcceptedSurvivorNeedsAReason() throws Exception {
    Path r = report(mutation("a.Decider", "m", 3, "SURVIVED"));
    assertThatThrownBy(() -> gate(r, accepted("a.Decider#m:3 VoidMethodCallMutator removed call to a/B::c"), "a.Decider"))
        .hasMessageContaining("needs a reason");
  }

  @Test
  void aNamedClassWithoutMutantsOrAMissingReportFails() throws Exception {
    assertThatThrownBy(() -> gate(report(mutation("a.Other", "m", 3, "KILLED")), accepted(), "a.Decider"))
        .hasMessageContaining("no mutant at all in a.Decider");
    assertThatThrownBy(() -> gate(dir.resolve("none.xml"), accepted(), "a.Decider"))
        .hasMessageContaining("did PIT run?");
  }

  @Test
  void reasonsApplyToTheEntriesBelowThemUntilTheNextReason() throws Exception {
    Path file = accepted("# first", "# reason", "x#a:1 M d", "", "x#b:2 M d", "# second", "x#c:3 M d");
    assertThat(MutationGate.accepted(file)).containsEntry("x#a:1 M d", "first reason")
        .containsEntry("x#b:2 M d", "first reason").containsEntry("x#c:3 M d", "second");
  }
}
