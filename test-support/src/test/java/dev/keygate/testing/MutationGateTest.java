package dev.keygate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
    return mutation(cls, method, line, status, "VoidMethodCallMutator", "removed call to a/B::c");
  }

  private static String mutation(String cls, String method, int line, String status, String mutator,
      String description) {
    boolean detected = status.equals("KILLED") || status.equals("TIMED_OUT");
    return "<mutation detected='" + detected + "' status='" + status + "' numberOfTestsRun='1'>"
        + "<sourceFile>X.java</sourceFile><mutatedClass>" + cls + "</mutatedClass><mutatedMethod>" + method
        + "</mutatedMethod><methodDescription>()V</methodDescription><lineNumber>" + line + "</lineNumber>"
        + "<mutator>org.pitest.mutationtest.engine.gregor.mutators." + mutator + "</mutator>"
        + "<indexes><index>1</index></indexes><blocks><block>1</block></blocks><killingTest/>"
        + "<description>" + description + "</description></mutation>";
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
    gate(r, accepted("# equivalent: the call only logs", "a.Decider#m VoidMethodCallMutator removed call to a/B::c"),
        "a.Decider");
    String printed = printedBy(() -> gate(r, accepted("# was equivalent",
        "a.Decider#m VoidMethodCallMutator removed call to a/B::c",
        "a.Decider#n VoidMethodCallMutator removed call to a/B::c"), "a.Decider"));
    assertThat(printed)
        .contains("listed but not surviving this time (remove it if the code changed): a.Decider#n VoidMethodCallMutator");
  }

  @Test
  void aListedSurvivorIsStillAcceptedAfterItsLineMoved() throws Exception {
    Path moved = report(mutation("a.Decider", "m", 40, "SURVIVED"));
    gate(moved, accepted("# equivalent", "a.Decider#m VoidMethodCallMutator removed call to a/B::c"), "a.Decider");
    // an entry written with the line the gate printed then: the line is not matched
    gate(moved, accepted("# equivalent", "a.Decider#m:3 VoidMethodCallMutator removed call to a/B::c"), "a.Decider");
  }

  @Test
  void anEntryAcceptsOnlyItsOwnMethodMutatorAndDescription() throws Exception {
    Path r = report(mutation("a.Decider", "other", 3, "SURVIVED"),
        mutation("a.Decider", "m", 4, "SURVIVED", "NegateConditionalsMutator", "negated conditional"),
        mutation("a.Decider", "m", 5, "SURVIVED", "VoidMethodCallMutator", "removed call to a/B::d"));
    assertThatThrownBy(() -> gate(r, accepted("# equivalent", "a.Decider#m VoidMethodCallMutator removed call to a/B::c"),
        "a.Decider"))
        .hasMessageContaining("SURVIVED: a.Decider#other:3 VoidMethodCallMutator removed call to a/B::c")
        .hasMessageContaining("SURVIVED: a.Decider#m:4 NegateConditionalsMutator negated conditional")
        .hasMessageContaining("SURVIVED: a.Decider#m:5 VoidMethodCallMutator removed call to a/B::d");
  }

  @Test
  void anEntryListedNTimesAcceptsAtMostNIdenticalSurvivors() throws Exception {
    Path r = report(mutation("a.Decider", "m", 3, "SURVIVED"), mutation("a.Decider", "m", 7, "SURVIVED"));
    String entry = "a.Decider#m VoidMethodCallMutator removed call to a/B::c";
    assertThatThrownBy(() -> gate(r, accepted("# equivalent", entry), "a.Decider"))
        .hasMessageContaining("SURVIVED: a.Decider#m:7 VoidMethodCallMutator removed call to a/B::c  (listed 1 times,"
            + " more survive)")
        .hasMessageNotContaining("a.Decider#m:3");
    gate(r, accepted("# equivalent", entry, entry), "a.Decider");
    String printed = printedBy(() -> gate(r, accepted("# equivalent", entry, entry, entry), "a.Decider"));
    assertThat(printed).contains("listed but not surviving this time (remove it if the code changed): " + entry
        + "  (1 of 3)");
  }

  @Test
  void everyAcceptedSurvivorNeedsAReason() throws Exception {
    Path r = report(mutation("a.Decider", "m", 3, "SURVIVED"));
    assertThatThrownBy(() -> gate(r, accepted("a.Decider#m VoidMethodCallMutator removed call to a/B::c"), "a.Decider"))
        .hasMessageContaining("needs a reason");
  }

  @Test
  void anEntryThatIsNotAMutantIsRefused() throws Exception {
    Path r = report(mutation("a.Decider", "m", 3, "SURVIVED"));
    assertThatThrownBy(() -> gate(r, accepted("# equivalent", "a.Decider.m removed call"), "a.Decider"))
        .hasMessageContaining("accepted.txt:2: not a mutant");
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
    Path file = accepted("# first", "# reason", "x#a M d", "", "x#b:2 M d", "# second", "x#c M d");
    assertThat(MutationGate.accepted(file)).containsExactly(new MutationGate.Accepted("x#a M d", "first reason", 3),
        new MutationGate.Accepted("x#b M d", "first reason", 5), new MutationGate.Accepted("x#c M d", "second", 7));
  }

  private interface GateRun {
    void run() throws Exception;
  }

  /** What {@code run} printed to standard output. */
  private static String printedBy(GateRun run) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setOut(out);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }
}
