package dev.keygate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The dependency blocks the root README shows next to the quick starts name the versions this
 * build compiles and tests the quick starts with (a Jetty or Jersey upgrade in the parent pom
 * fails here until the README follows).
 */
class QuickStartDependenciesTest {
  private static final Path BLOCKS = Path.of(System.getProperty("keygate.root", ".."),
      "docs/src/main/snippets/quickstart-dependencies.xml");

  static Stream<Element> dependencies() throws Exception {
    NodeList nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(BLOCKS.toFile())
        .getElementsByTagName("dependency");
    return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> (Element) nodes.item(i));
  }

  @ParameterizedTest
  @MethodSource("dependencies")
  void shownVersionIsTheOneTested(Element dependency) {
    String group = text(dependency, "groupId");
    String artifact = text(dependency, "artifactId");
    String version = text(dependency, "version");
    if (group.equals("dev.keygate")) {
      assertThat(version).as(artifact).isEqualTo(System.getProperty("keygate.version"));
      return;
    }
    String jar = "/" + group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version + ".jar";
    List<String> classpath = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    assertThat(classpath).as("%s:%s:%s is what the docs module tests with", group, artifact, version)
        .anyMatch(entry -> entry.replace(File.separatorChar, '/').endsWith(jar));
  }

  private static String text(Element dependency, String tag) {
    return dependency.getElementsByTagName(tag).item(0).getTextContent().strip();
  }
}
