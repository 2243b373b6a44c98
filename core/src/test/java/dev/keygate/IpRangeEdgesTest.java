package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Permission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of allowlist and trusted-proxy entries: which texts are ranges, which addresses a
 * range holds, and that a look-alike is never taken for an address. Every case here decides
 * whether a client gets in.
 */
class IpRangeEdgesTest {

  private static boolean holds(String range, String address) {
    IpRange r = IpRange.parse(range);
    assertThat(r).as(range).isNotNull();
    byte[] a = IpRange.parseAddress(address);
    assertThat(a).as(address).isNotNull();
    return r.contains(a);
  }

  @ParameterizedTest
  @CsvSource({
    // host bits in the text are masked away: the range is the network
    "10.1.2.3/12, 10.0.0.0, true",
    "10.1.2.3/12, 10.15.255.255, true",
    "10.1.2.3/12, 10.16.0.0, false",
    "10.1.2.3/12, 9.255.255.255, false",
    "172.16.0.0/12, 172.31.200.1, true",
    "172.16.0.0/12, 172.32.0.1, false",
    "192.168.1.129/25, 192.168.1.128, true",
    "192.168.1.129/25, 192.168.1.127, false",
    "192.168.1.7/31, 192.168.1.6, true",
    "192.168.1.7/31, 192.168.1.8, false",
    "10.0.0.0/9, 10.127.0.1, true",
    "10.0.0.0/9, 10.128.0.1, false",
    "10.0.0.0/29, 10.0.0.7, true",
    "10.0.0.0/29, 10.0.0.8, false",
    "192.168.1.7/32, 192.168.1.7, true",
    "192.168.1.7/32, 192.168.1.6, false",
    "0.0.0.0/1, 127.255.255.255, true",
    "0.0.0.0/1, 128.0.0.0, false",
    "2001:db8::/33, 2001:db8:7fff::1, true",
    "2001:db8::/33, 2001:db8:8000::1, false",
    "2001:db8::1/128, 2001:db8::1, true",
    "2001:db8::1/128, 2001:db8::2, false",
    "::/0, 2001:db8::1, true",
    "::/0, 10.0.0.1, false",
    // an IPv4 range never holds an IPv6 address whose first bytes spell it, nor the reverse
    "32.1.13.184/32, 2001:db8::1, false",
    "32.1.13.184/16, 2001:db8::1, false",
    "2001:db8::/16, 32.1.13.184, false",
  })
  void rangesHoldExactlyTheirAddresses(String range, String address, boolean expected) {
    assertThat(holds(range, address)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "10.0.0.0/", // no prefix after the slash
    "10.0.0.0/0008", // more than three digits
    "10.0.0.0/1a", "10.0.0.0/8a", "10.0.0.0/a", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/8 ",
    "10.0.0.0/33", "::/129", "/8", "/", "",
    "10.0.0.0/99999999999999999999",
  })
  void malformedPrefixesAreNoRange(String text) {
    assertThat(IpRange.parse(text)).as(text).isNull();
  }

  @Test
  void nullIsNoRangeAndNoAddress() {
    assertThat(IpRange.parse(null)).isNull();
    assertThat(IpRange.parseAddress(null)).isNull();
    assertThat(IpRange.parseAddress("")).isNull();
  }

  @Test
  void everyPrefixLengthUpToTheFamilysWidthIsARange() {
    assertThat(IpRange.parse("10.0.0.0/0")).isNotNull();
    assertThat(IpRange.parse("10.0.0.9/32")).isNotNull();
    assertThat(IpRange.parse("10.0.0.0/19")).isNotNull();
    assertThat(IpRange.parse("2001:db8::/128")).isNotNull();
    assertThat(IpRange.parse("2001:db8::/99")).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "010.0.0.1", "10.00.0.1", "10.0.0.01", "00.0.0.0", // leading zeros are octal to some parsers
    "1.2.3.256", "1.2.3.1000", "256.0.0.0",
    "1.2.3.a", "1.2.3.12-", "1.2.3.1/", "1.2.3.1 ", "1.2.3.:", "1.2.3.~",
    ".1.2.3", "1.2.3.", "1..2.3", "1.2.3", "1.2.3.4.5",
  })
  void onlyPlainDottedQuadsAreIpv4Addresses(String text) {
    assertThat(IpRange.parseAddress(text)).as(text).isNull();
  }

  @Test
  void dottedQuadsAtTheLimitsAreAddresses() {
    assertThat(IpRange.parseAddress("255.255.255.255")).containsExactly(-1, -1, -1, -1);
    assertThat(IpRange.parseAddress("0.0.0.0")).containsExactly(0, 0, 0, 0);
    assertThat(IpRange.parseAddress("9.99.199.250")).containsExactly(9, 99, 199, (byte) 250);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "2001:db8::1]", "[2001:db8::1", "[]", "[", "]", "[:]",
    "fe80::1%1", "fe80::1%eth0", "::1%lo", "1::1/", "1::g", "1::G", "1:: 2", "1::~", "1::[",
    // the longest IPv6 literal is 45 characters; anything longer is refused unread, brackets too
    "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]",
    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2550",
  })
  void onlyIpv6LiteralsAreIpv6Addresses(String text) {
    assertThat(IpRange.parseAddress(text)).as(text).isNull();
  }

  @Test
  void ipv6LiteralsInEveryAcceptedSpellingAreAddresses() {
    assertThat(IpRange.parseAddress("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")).hasSize(16);
    assertThat(IpRange.parseAddress("[2001:db8::1]")).isEqualTo(IpRange.parseAddress("2001:DB8::1"));
    assertThat(IpRange.parseAddress("::ffff:10.0.0.1")).containsExactly(10, 0, 0, 1);
    assertThat(IpRange.parseAddress("ABCD:EF01::9")).hasSize(16);
    assertThat(IpRange.parseAddress("::")).hasSize(16);
  }

  /**
   * The host names the JDK was asked to look up while {@code parsing} ran: a security manager sees
   * every name lookup ({@code checkConnect(host, -1)}) before it happens, and refuses it.
   */
  @SuppressWarnings("removal")
  private static List<String> nameLookupsDuring(Runnable parsing) {
    ForkJoinPool.commonPool(); // created outside the window, so it never gets restricted threads
    List<String> lookups = new CopyOnWriteArrayList<>();
    SecurityManager previous = System.getSecurityManager();
    SecurityManager watcher = new SecurityManager() {
      @Override
      public void checkPermission(Permission perm) {}

      @Override
      public void checkPermission(Permission perm, Object context) {}

      @Override
      public void checkConnect(String host, int port) {
        if (port == -1) {
          lookups.add(host);
          throw new SecurityException("name lookup of " + host);
        }
      }
    };
    try {
      System.setSecurityManager(watcher);
    } catch (UnsupportedOperationException noSecurityManager) {
      // JDK 18+ without -Djava.security.manager=allow, and every JDK from 24 on: the project
      // builds on 17; on a later JDK this check (and the mutants it kills) needs another watcher
      Assumptions.abort("this JDK cannot watch for name lookups with a security manager");
    }
    try {
      parsing.run();
    } finally {
      System.setSecurityManager(previous);
    }
    return lookups;
  }

  @Test
  void nothingThatLooksLikeAnAddressIsEverLookedUpAsAName() {
    List<String> texts = List.of(".a:b:c", "[.a:b]", ".1:2", "-1::1", "\u0661::1", "1::\u0661", "\uff11::1",
        "g::1", "::1%lo", "localhost", "example.com", "a.b:c", "x:1", "[x:1]", "1.2.3.a");
    List<String> lookups = nameLookupsDuring(() -> {
      for (String t : texts) {
        assertThat(IpRange.parseAddress(t)).as(t).isNull();
        assertThat(IpRange.parse(t + "/8")).as(t).isNull();
      }
    });
    assertThat(lookups).isEmpty();
  }

  @Test
  void rangesAreEqualWhenTheyHoldTheSameAddresses() {
    IpRange a = IpRange.parse("10.1.2.3/8");
    IpRange b = IpRange.parse("10.0.0.0/8");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(IpRange.parse("10.0.0.0/9"));
    assertThat(a).isNotEqualTo(IpRange.parse("11.0.0.0/8"));
    assertThat(IpRange.parse("::/0")).isNotEqualTo(IpRange.parse("0.0.0.0/0"));
    assertThat(a).isNotEqualTo("10.0.0.0/8");
    assertThat(a.toString()).as("shown as configured").isEqualTo("10.1.2.3/8");
  }
}
