package dev.keygate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Fails the build when a mutant survives in a class that decides who gets in, unless it is listed,
 * with its reason, in the module's accepted-survivors file. PIT's own threshold is a percentage over
 * the whole module; this gate is per mutant, for the classes named.
 *
 * <p>Run after {@code pitest-maven}'s {@code mutationCoverage} (the build binds it to {@code
 * verify}): {@code MutationGate <mutations.xml> <accepted-survivors.txt> <class>...}, where each
 * class also covers its nested classes. A survivor is a mutant PIT did not detect: {@code SURVIVED}
 * or {@code NO_COVERAGE}. The gate also fails when a named class has no mutant at all (a misspelled
 * or excluded class would otherwise pass unseen), and names listed survivors that were killed this
 * time (an entry left over after a change, or a flaky test) without failing.
 *
 * <p>A mutant is matched by {@code Class#method Mutator description}, never by its line: a refactor
 * that moves code leaves the list valid, while a changed method, mutator or description (another
 * call removed, another return value) needs a new entry. Identical mutants in one method (the same
 * boundary changed on two lines) are told apart by count: an entry listed N times accepts at most N
 * such survivors. The gate prints each survivor with its current line for the reader.
 *
 * <p>The accepted-survivors file holds one mutant per line ({@code Class#method Mutator
 * description}; a {@code :line} after the method, as older lists wrote it, is ignored); lines
 * starting with {@code #} give the reason for the entries below them, and every entry must have one.
 */
public final class MutationGate {
  private MutationGate() {}

  /** {@code Class#method}, an optional {@code :line}, then the rest. */
  private static final Pattern ENTRY = Pattern.compile("(\\S+?#\\S+?)(?::\\d+)?(\\s.*)");

  /** A mutant as PIT reported it. */
  record Mutant(String mutatedClass, String method, int line, String mutator, String description,
      String status, boolean detected) {

    /** What the accepted-survivors file lists: everything but the line. */
    String key() {
      return mutatedClass + "#" + method + " " + mutator + " " + description;
    }

    /** The mutant as a person reads it, with the line it is on now. */
    String shown() {
      return mutatedClass + "#" + method + ":" + line + " " + mutator + " " + description;
    }

    boolean in(String className) {
      return mutatedClass.equals(className) || mutatedClass.startsWith(className + "$");
    }
  }

  /** One line of the accepted-survivors file. */
  record Accepted(String key, String reason, int fileLine) {}

  /**
   * Checks a PIT report.
   *
   * @param args the {@code mutations.xml} report, the accepted-survivors file, then the class names
   * @throws IllegalStateException when the gate fails, listing every reason
   * @throws Exception when a file cannot be read or parsed
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: MutationGate <mutations.xml> <accepted-survivors.txt> <class>...");
    }
    List<String> problems = check(read(Path.of(args[0])), accepted(Path.of(args[1])), List.of(args).subList(2, args.length));
    if (!problems.isEmpty()) {
      String report = String.join("\n  ", problems);
      throw new IllegalStateException("mutation gate failed for the access-deciding classes:\n  " + report
          + "\n(kill each survivor with a test, or, if it is equivalent, say why beside the code and list it,"
          + " without its line, in " + args[1] + ")");
    }
    System.out.println("[mutation gate] no unexplained surviving mutant in " + (args.length - 2) + " access-deciding classes");
  }

  static List<String> check(List<Mutant> mutants, List<Accepted> accepted, List<String> classes) {
    Map<String, Integer> allowance = new LinkedHashMap<>();
    for (Accepted a : accepted) {
      allowance.merge(a.key(), 1, Integer::sum);
    }
    Map<String, Integer> surviving = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String c : classes) {
      List<Mutant> mine = mutants.stream().filter(m -> m.in(c)).toList();
      if (mine.isEmpty()) {
        problems.add("no mutant at all in " + c + ": is it still a target class?");
      }
      for (Mutant m : mine) {
        if (m.detected()) {
          continue;
        }
        int seen = surviving.merge(m.key(), 1, Integer::sum);
        int listed = allowance.getOrDefault(m.key(), 0);
        if (seen > listed) {
          problems.add(m.status() + ": " + m.shown() + (listed == 0 ? "" : "  (listed " + listed + " times, more survive)"));
        }
      }
    }
    allowance.forEach((key, listed) -> {
      int left = listed - surviving.getOrDefault(key, 0);
      if (left > 0) {
        // a warning, not a failure: a flaky test can kill an equivalent mutant once
        System.out.println("[mutation gate] listed but not surviving this time (remove it if the code changed): "
            + key + (listed > 1 ? "  (" + left + " of " + listed + ")" : ""));
      }
    });
    return problems;
  }

  static List<Mutant> read(Path report) throws Exception {
    if (!Files.isRegularFile(report)) {
      throw new IllegalStateException("no mutation report at " + report + ": did PIT run?");
    }
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = f.newDocumentBuilder().parse(report.toFile());
    NodeList nodes = doc.getElementsByTagName("mutation");
    List<Mutant> out = new ArrayList<>(nodes.getLength());
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      String mutator = text(e, "mutator");
      out.add(new Mutant(text(e, "mutatedClass"), text(e, "mutatedMethod"), Integer.parseInt(text(e, "lineNumber")),
          mutator.substring(mutator.lastIndexOf('.') + 1), text(e, "description"), e.getAttribute("status"),
          Boolean.parseBoolean(e.getAttribute("detected"))));
    }
    return out;
  }

  private static String text(Element e, String tag) {
    return e.getElementsByTagName(tag).item(0).getTextContent().strip();
  }

  /** The accepted survivors in file order, one per listed line, with their reasons. */
  static List<Accepted> accepted(Path file) throws IOException {
    List<Accepted> out = new ArrayList<>();
    StringBuilder reason = new StringBuilder();
    boolean reasonEnded = false;
    int n = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (reasonEnded) {
          reason.setLength(0);
          reasonEnded = false;
        }
        reason.append(line.substring(1).strip()).append(' ');
        continue;
      }
      reasonEnded = true;
      if (reason.length() == 0) {
        throw new IllegalStateException(file + ":" + n + ": an accepted survivor needs a reason (a # line above it)");
      }
      Matcher m = ENTRY.matcher(line);
      if (!m.matches()) {
        throw new IllegalStateException(file + ":" + n + ": not a mutant (Class#method Mutator description): " + line);
      }
      out.add(new Accepted(m.group(1) + m.group(2), reason.toString().strip(), n));
    }
    return out;
  }
}
