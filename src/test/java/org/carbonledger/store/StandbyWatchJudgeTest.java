package org.carbonledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How StandbyWatch judges its standby's answers: behind only on the second bad answer running (one is a moment's
 * WAL or a reset connection), whatever made it bad; at once when the database has been silent too long.
 */
class StandbyWatchJudgeTest {

  private final AtomicLong now = new AtomicLong();
  private final StandbyWatch.Judge judge = new StandbyWatch.Judge(Duration.ofSeconds(30), now::get);

  private void tick() {
    now.addAndGet(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void aStreamingStandbyWithinTheLimitIsCurrent() {
    judge.answered(true, 1, "streaming", 29);
    tick();
    judge.answered(true, 1, "streaming", 29);
    assertNull(judge.behind());
    assertEquals(new StandbyWatch.Status(true, "streaming", 29), judge.status());
  }

  @Test
  void lagOverTheLimitCountsOnlyTwiceRunning() {
    judge.answered(true, 1, "streaming", 31);
    assertNull(judge.behind(), "one answer over the limit is a moment's WAL");
    tick();
    judge.answered(true, 1, "streaming", 0);
    tick();
    judge.answered(true, 1, "streaming", 3600);
    assertNull(judge.behind(), "not running");
    tick();
    judge.answered(true, 1, "streaming", 3601);
    assertTrue(judge.behind().contains("3601 s behind"), judge.behind());
    tick();
    judge.answered(true, 1, "streaming", 0);
    assertNull(judge.behind(), "caught up");
  }

  @Test
  void aStandbyThatDoesNotStreamIsBehindOnTheSecondAnswer() {
    judge.answered(true, 0, null, 0);
    assertNull(judge.behind());
    tick();
    judge.answered(true, 0, null, 0);
    assertTrue(judge.behind().contains("no WAL receiver"), judge.behind());
    tick();
    judge.answered(true, 1, "waiting", 0);
    assertTrue(judge.behind().contains("is waiting, not streaming"), judge.behind());
    tick();
    // A role without pg_read_all_stats sees a receiver but not its status: it counts as streaming.
    judge.answered(true, 1, null, 0);
    assertNull(judge.behind());
  }

  @Test
  void theDatabaseOfAReadOnlyServerOnThePrimaryIsNeverBehindByLag() {
    judge.answered(false, 0, null, 0);
    tick();
    judge.answered(false, 0, null, 0);
    assertNull(judge.behind());
    assertFalse(judge.status().standby());
  }

  @Test
  void failedAsksCountTwiceRunningAndSilenceAtOnce() {
    judge.answered(true, 1, "streaming", 0);
    assertFalse(judge.failed());
    assertNull(judge.behind(), "one reset connection turns no one away");
    assertTrue(judge.answering());
    tick();
    judge.answered(true, 1, "streaming", 0);
    assertFalse(judge.failed());
    assertTrue(judge.failed(), "the second failure running");
    assertEquals("its database does not answer", judge.behind(), "no connection details for clients");
    assertFalse(judge.answering());
    judge.answered(true, 1, "streaming", 0);
    assertNull(judge.behind());

    // A database that hangs answers nothing, and fails nothing either.
    now.addAndGet(StandbyWatch.SILENCE_MAX.toNanos() + 1);
    assertTrue(judge.behind().startsWith("its database has not answered for 3 s"), judge.behind());
    assertFalse(judge.answering());
  }
}
