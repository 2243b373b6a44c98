package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The README's dependency block for the Spring Boot quick start is what this module builds it
 * with: the same artifacts in its compile scope, and Keygate's version the one being built.
 */
class QuickStartPomTest {
  private static List<String> dependencies(File xml, boolean compileOnly) throws Exception {
    NodeList nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml).getElementsByTagName("dependency");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element d = (Element) nodes.item(i);
      if (d.getParentNode().getParentNode().getNodeName().equals("dependencyManagement")) {
        continue;
      }
      NodeList scope = d.getElementsByTagName("scope");
      if (compileOnly && scope.getLength() > 0 && !scope.item(0).getTextContent().equals("compile")) {
        continue;
      }
      String version = d.getElementsByTagName("version").getLength() > 0
          ? ":" + d.getElementsByTagName("version").item(0).getTextContent() : "";
      out.add(d.getElementsByTagName("groupId").item(0).getTextContent() + ":"
          + d.getElementsByTagName("artifactId").item(0).getTextContent() + version);
    }
    return out;
  }

  @Test
  void theReadmesDependenciesAreTheModules() throws Exception {
    List<String> shown = dependencies(new File("src/main/snippets/spring-boot-dependencies.xml"), false);
    assertThat(shown).containsExactly(
        "dev.keygate:keygate-spring-boot-starter:" + System.getProperty("keygate.version"),
        "org.springframework.boot:spring-boot-starter-webmvc",
        "org.springframework.boot:spring-boot-starter-security");
    assertThat(dependencies(new File("pom.xml"), true)).containsExactlyElementsOf(shown);
  }
}
