package dev.keygate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The contract's cases catch the bugs they are written for: each store of {@link BrokenStores}
 * has one, and the case named for it fails; a correct store passes every case.
 */
class ContractCatchesBrokenStoresTest {
  private static Events run(Class<?> contract) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(contract)).execute().testEvents();
  }

  private static List<String> names(Stream<Event> events) {
    return events.map(e -> e.getTestDescriptor().getDisplayName().replace("()", "")).toList();
  }

  @Test
  void aCorrectStoreWithAnOutageThatFailsTheRightWayPassesEveryCaseAndSkipsNone() {
    Events tests = run(BrokenStores.Correct.class);
    assertThat(names(tests.failed().stream())).isEmpty();
    assertThat(names(tests.aborted().stream())).isEmpty();
    assertThat(names(tests.succeeded().stream())).contains(
        "aRefusedChangeTellsNoListener",
        "everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener",
        "deleteRacingAnUpdateAndAUsageFlushEndsInASerialOrderAndNeverBringsTheKeyBack");
  }

  static Stream<Arguments> bugs() {
    return Stream.of(
        Arguments.of(BrokenStores.NotifiesRefusedUpdates.class, "aRefusedChangeTellsNoListener"),
        Arguments.of(BrokenStores.LetsListenerFailuresOut.class,
            "aListenerThatThrowsFailsNeitherTheChangeNorTheOtherListeners"),
        Arguments.of(BrokenStores.UpdatesByUpsert.class,
            "anUpdateOrUsageFlushAfterADeleteNeverBringsTheKeyBack"),
        Arguments.of(BrokenStores.UpdatesByUpsert.class,
            "anUpdateMadeWhileADeleteIsReportedIsRefusedAndTheKeyStaysGone"),
        Arguments.of(BrokenStores.TakesNullForMissing.class,
            "aNullArgumentIsAProgrammingErrorNotAMissingKey"),
        Arguments.of(BrokenStores.FailsWithAnotherException.class,
            "everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener"),
        Arguments.of(BrokenStores.HidesTheOutageInReads.class,
            "everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener"),
        Arguments.of(BrokenStores.QuotesTheHash.class,
            "everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener"),
        Arguments.of(BrokenStores.PagesAfterTheInstantOnly.class, "keysCreatedAtOneInstantAreSplitAcrossPagesByTheirIds"),
        Arguments.of(BrokenStores.PagesAfterTheInstantOnly.class, "walkingThePagesReturnsEveryKeyOnceInCreationOrder"),
        Arguments.of(BrokenStores.PagesColumnByColumn.class, "aPageStartsRightAfterItsPositionToTheMicrosecondAndTheId"),
        Arguments.of(BrokenStores.PagesColumnByColumn.class, "walkingThePagesReturnsEveryKeyOnceInCreationOrder"));
  }

  @ParameterizedTest(name = "{0}: {1} fails")
  @MethodSource("bugs")
  void theCaseWrittenForABugFailsOnAStoreThatHasIt(Class<?> contract, String expectedFailure) {
    Events tests = run(contract);
    assertThat(names(tests.failed().stream())).contains(expectedFailure);
    assertThat(names(tests.aborted().stream())).isEmpty();
  }

  @Test
  void aStoreWithoutAnOutageHasNoOutageCaseAndSkipsNothing() {
    Events tests = run(BrokenStores.NotifiesRefusedUpdates.class);
    assertThat(names(tests.aborted().stream())).isEmpty();
    assertThat(names(tests.skipped().stream())).isEmpty();
    assertThat(names(tests.started().stream()))
        .doesNotContain("everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener")
        .contains("aRefusedChangeTellsNoListener");
  }
}
