package dev.keygate.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps the code blocks of the READMEs equal to regions of the docs module's sources.
 *
 * <p>A source region is the lines between {@code tag::NAME[]} and {@code end::NAME[]} (in a
 * comment: {@code // tag::NAME[]} in Java, {@code <!-- tag::NAME[] -->} in XML), without lines
 * that mark other regions, dedented. A README block is the fenced code block that follows a line
 * {@code <!-- snippet: NAME -->}. Every Java block of a README needs such a marker, every marker a
 * region, and every region a marker.
 *
 * <p>Uses only the JDK, so that it runs without a build, from the repository root:
 *
 * <pre>
 * java docs/src/test/java/dev/keygate/docs/ReadmeSnippets.java check   # what the build checks
 * java docs/src/test/java/dev/keygate/docs/ReadmeSnippets.java write   # README blocks := sources
 * </pre>
 */
public final class ReadmeSnippets {
  /** The command that copies the sources into the READMEs, named in every drift message. */
  static final String WRITE_COMMAND = "java docs/src/test/java/dev/keygate/docs/ReadmeSnippets.java write";

  private static final List<String> READMES = List.of(
      "README.md", "servlet-filter/README.md", "jaxrs-filter/README.md", "spi-jdbc/README.md",
      "testkit/README.md", "redis/README.md", "SECURITY.md");
  /** Where regions live: the docs module's sources, and its Spring Boot quick start's (a module of its own). */
  private static final List<String> SOURCE_DIRS = List.of("docs/src/main", "docs/spring-boot/src/main");
  private static final String SOURCES = String.join(" or ", SOURCE_DIRS);
  private static final Pattern MARKER = Pattern.compile("^\\s*<!-- snippet: ([\\w.-]+) -->\\s*$");
  private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\w*)\\s*$");
  private static final Pattern TAG = Pattern.compile("(tag|end)::([\\w.-]+)\\[\\]");

  private final Path root;

  ReadmeSnippets(Path root) {
    this.root = root;
  }

  /** {@code check} (the default) or {@code write}; a second argument is the repository root. */
  public static void main(String[] args) throws IOException {
    String mode = args.length > 0 ? args[0] : "check";
    ReadmeSnippets snippets = new ReadmeSnippets(Path.of(args.length > 1 ? args[1] : "."));
    if (mode.equals("write")) {
      List<String> changed = snippets.write();
      System.out.println(changed.isEmpty() ? "READMEs already match their sources" : "rewrote " + changed);
    }
    List<String> problems = snippets.check();
    problems.forEach(System.err::println);
    if (!problems.isEmpty()) {
      System.exit(1);
    }
  }

  /** A region of a source file: its text (dedented) and where it is. */
  record Region(String name, Path file, int firstLine, int lastLine, List<String> lines) {
    String where(Path root) {
      return root.relativize(file) + " lines " + firstLine + "-" + lastLine;
    }
  }

  /** A README code block under a marker: its lines as written, and where it is (1-based). */
  record Block(String name, Path readme, int markerLine, int firstLine, int endLine, String indent,
      List<String> lines) {}

  /** Every problem found, each a message that says where and what to do; empty when all agree. */
  List<String> check() throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, Region> regions = regions(problems);
    Set<String> used = new LinkedHashSet<>();
    for (String readme : READMEs()) {
      Path file = root.resolve(readme);
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (Block block : blocks(file, lines, problems)) {
        used.add(block.name());
        Region region = regions.get(block.name());
        if (region == null) {
          problems.add(readme + ":" + block.markerLine() + ": <!-- snippet: " + block.name()
              + " --> names no region. Mark one in a file under " + SOURCES + " with tag::"
              + block.name() + "[] ... end::" + block.name() + "[] (known regions: " + new TreeSet<>(regions.keySet())
              + "), or correct the name.");
          continue;
        }
        String difference = difference(block.lines(), region.lines());
        if (difference != null) {
          problems.add(readme + ":" + block.firstLine() + ": the block under <!-- snippet: " + block.name()
              + " --> differs from " + region.where(root) + " (" + difference + "). Make the change in the source"
              + " (it is compiled and tested), then copy it into the READMEs, from the repository root: "
              + WRITE_COMMAND);
        }
      }
      unmarkedJavaBlocks(readme, lines, problems);
    }
    for (Region region : regions.values()) {
      if (!used.contains(region.name())) {
        problems.add(region.where(root) + ": region " + region.name() + " is shown in no README;"
            + " add <!-- snippet: " + region.name() + " --> before a code block, or remove the region.");
      }
    }
    return problems;
  }

  /** Rewrites every marked README block from its region; returns the READMEs that changed. */
  List<String> write() throws IOException {
    Map<String, Region> regions = regions(new ArrayList<>());
    List<String> changed = new ArrayList<>();
    for (String readme : READMEs()) {
      Path file = root.resolve(readme);
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      int next = 0; // index of the first line not yet copied
      for (Block block : blocks(file, lines, new ArrayList<>())) {
        Region region = regions.get(block.name());
        if (region == null) {
          continue;
        }
        out.addAll(lines.subList(next, block.firstLine() - 1));
        region.lines().forEach(l -> out.add(l.isEmpty() ? "" : block.indent() + l));
        next = block.endLine() - 1; // the closing fence is copied as it is
      }
      out.addAll(lines.subList(next, lines.size()));
      if (!out.equals(lines)) {
        Files.write(file, out, StandardCharsets.UTF_8);
        changed.add(readme);
      }
    }
    return changed;
  }

  private List<String> READMEs() {
    return READMES.stream().filter(r -> Files.exists(root.resolve(r))).toList();
  }

  private Map<String, Region> regions(List<String> problems) throws IOException {
    Map<String, Region> regions = new LinkedHashMap<>();
    List<Path> files = new java.util.ArrayList<>();
    for (String dir : SOURCE_DIRS) {
      if (!Files.isDirectory(root.resolve(dir))) {
        continue; // a tree without that module (the tests' own small trees)
      }
      try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
        walk.filter(Files::isRegularFile).sorted().forEach(files::add);
      }
    }
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      Map<String, Integer> open = new LinkedHashMap<>();
      for (int i = 0; i < lines.size(); i++) {
        Matcher tag = TAG.matcher(lines.get(i));
        while (tag.find()) {
          String name = tag.group(2);
          String at = root.relativize(file) + ":" + (i + 1);
          if (tag.group(1).equals("tag")) {
            open.put(name, i);
          } else if (!open.containsKey(name)) {
            problems.add(at + ": end::" + name + "[] without tag::" + name + "[] before it");
          } else {
            int start = open.remove(name);
            List<String> body = lines.subList(start + 1, i).stream()
                .filter(l -> !TAG.matcher(l).find()).toList();
            Region region = new Region(name, file, start + 2, i, dedent(body));
            Region before = regions.putIfAbsent(name, region);
            if (before != null) {
              problems.add(at + ": region " + name + " is also marked at " + before.where(root)
                  + "; region names must be unique");
            }
          }
        }
      }
      open.forEach((name, line) -> problems.add(root.relativize(file) + ":" + (line + 1) + ": tag::" + name
          + "[] is never closed with end::" + name + "[]"));
    }
    return regions;
  }

  private List<Block> blocks(Path readme, List<String> lines, List<String> problems) {
    List<Block> blocks = new ArrayList<>();
    String name = root.relativize(readme).toString();
    for (int i = 0; i < lines.size(); i++) {
      Matcher marker = MARKER.matcher(lines.get(i));
      if (!marker.matches()) {
        continue;
      }
      int open = i + 1;
      while (open < lines.size() && lines.get(open).isBlank()) {
        open++;
      }
      Matcher fence = open < lines.size() ? FENCE.matcher(lines.get(open)) : null;
      if (fence == null || !fence.matches()) {
        problems.add(name + ":" + (i + 1) + ": <!-- snippet: " + marker.group(1)
            + " --> must be followed by a fenced code block (```java)");
        continue;
      }
      int close = open + 1;
      while (close < lines.size() && !lines.get(close).strip().equals("```")) {
        close++;
      }
      if (close == lines.size()) {
        problems.add(name + ":" + (open + 1) + ": code block never closed");
        continue;
      }
      blocks.add(new Block(marker.group(1), readme, i + 1, open + 2, close + 1, fence.group(1),
          lines.subList(open + 1, close)));
      i = close;
    }
    return blocks;
  }

  /** A Java block without a marker is code nobody compiles: name it. */
  private static void unmarkedJavaBlocks(String readme, List<String> lines, List<String> problems) {
    boolean marked = false;
    boolean inBlock = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (inBlock) {
        inBlock = !line.strip().equals("```");
        continue;
      }
      Matcher fence = FENCE.matcher(line);
      if (fence.matches()) {
        inBlock = true;
        if (fence.group(2).equals("java") && !marked) {
          problems.add(readme + ":" + (i + 1) + ": a Java block without <!-- snippet: NAME --> before it;"
              + " put the code in a region of a file under " + SOURCES + " (// tag::NAME[] ... // end::NAME[])"
              + " and mark the block, then run " + WRITE_COMMAND);
        }
        marked = false;
      } else if (!line.isBlank()) {
        marked = MARKER.matcher(line).matches();
      }
    }
  }

  /** Null when the two agree up to white space; else the first line that differs. */
  static String difference(List<String> readme, List<String> source) {
    List<String> a = normalised(readme);
    List<String> b = normalised(source);
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String x = i < a.size() ? a.get(i) : "<end of block>";
      String y = i < b.size() ? b.get(i) : "<end of region>";
      if (!x.equals(y)) {
        return "line " + (i + 1) + " of the block: README has `" + x + "`, the source has `" + y + "`";
      }
    }
    return null;
  }

  /** Lines without blank lines at the ends, each trimmed and its inner white space collapsed. */
  private static List<String> normalised(List<String> lines) {
    List<String> out = lines.stream().map(l -> l.strip().replaceAll("\\s+", " "))
        .collect(Collectors.toCollection(ArrayList::new));
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  static List<String> dedent(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
  }

  static void requireNoProblems(Path root) {
    try {
      List<String> problems = new ReadmeSnippets(root).check();
      if (!problems.isEmpty()) {
        throw new AssertionError(problems.size() + " README snippet problem(s):\n  "
            + String.join("\n  ", problems));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
