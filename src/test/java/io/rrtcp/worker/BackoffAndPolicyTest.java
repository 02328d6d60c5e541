package io.rrtcp.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.rrtcp.worker.FailurePolicy.RequestFate.ANSWERED;
import static io.rrtcp.worker.FailurePolicy.RequestFate.FAIL;
import static io.rrtcp.worker.FailurePolicy.RequestFate.RETRY;
import static io.rrtcp.worker.FailurePolicy.WorkerFate.FAULT;
import static io.rrtcp.worker.FailurePolicy.WorkerFate.KEEP;
import static io.rrtcp.worker.FailurePolicy.WorkerFate.RECYCLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pure rules: restart pauses, and what each outcome of an exchange does to the worker and the request. */
class BackoffAndPolicyTest {
    @Test
    void restartsBackOffFromTheSecondDeathInARowDoublingUpToFiveSeconds() {
        assertEquals(Duration.ZERO, Backoff.beforeRestart(0));
        assertEquals(Duration.ZERO, Backoff.beforeRestart(1));
        assertEquals(Duration.ofMillis(100), Backoff.beforeRestart(2));
        assertEquals(Duration.ofMillis(200), Backoff.beforeRestart(3));
        assertEquals(Duration.ofMillis(3200), Backoff.beforeRestart(7));
        assertEquals(Duration.ofSeconds(5), Backoff.beforeRestart(8));
        assertEquals(Duration.ofSeconds(5), Backoff.beforeRestart(1000));
    }

    @Test
    void failedStartsAreRetriedAfterDoublingPausesUpToFiveSeconds() {
        Duration p = Backoff.afterFailedStart(null);
        assertEquals(Duration.ofMillis(100), p);
        for (int i = 0; i < 10; i++) {
            p = Backoff.afterFailedStart(p);
        }
        assertEquals(Duration.ofSeconds(5), p);
    }

    private static WorkerException failure(WorkerException.Kind kind, boolean delivered) {
        return new WorkerException(kind, 7, delivered, "x");
    }

    @Test
    void eachOutcomeDecidesTheWorkersFateAndTheRequests() {
        assertEquals(new FailurePolicy(KEEP, null, ANSWERED), FailurePolicy.of(new Reply.Answer(null)));
        assertEquals(new FailurePolicy(KEEP, null, FAIL), FailurePolicy.of(new Reply.ErrorFrame("e")));
        assertEquals(new FailurePolicy(KEEP, null, FAIL), FailurePolicy.of(new Reply.StreamRefused()));
        assertEquals(new FailurePolicy(RECYCLE, WorkerState.INVALID, RETRY), FailurePolicy.of(new Reply.StopRequested()));
        assertEquals(new FailurePolicy(FAULT, WorkerState.EXEC_TTL_REACHED, FAIL),
                FailurePolicy.of(failure(WorkerException.Kind.EXEC_TTL, true), WorkerState.EXEC_TTL_REACHED));
        assertEquals(new FailurePolicy(RECYCLE, null, RETRY),
                FailurePolicy.of(failure(WorkerException.Kind.BROKEN, false), WorkerState.STOPPED), "exit 0 before reading");
        assertEquals(new FailurePolicy(FAULT, null, RETRY),
                FailurePolicy.of(failure(WorkerException.Kind.BROKEN, false), WorkerState.ERRORED), "crashed before reading");
        assertEquals(new FailurePolicy(FAULT, null, FAIL),
                FailurePolicy.of(failure(WorkerException.Kind.BROKEN, true), WorkerState.ERRORED), "crashed mid-request");
    }
}
